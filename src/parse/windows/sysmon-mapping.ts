// Sysmon (Microsoft-Windows-Sysmon/Operational) event data → ECS process, file, dll, network, dns,
// registry, user and related fields, following the field choices of Elastic's Sysmon integration.
// The original event data stays untouched under winlog.event_data for Sigma.
import type { EcsEvent, JsonObject, JsonValue } from '../../model/event.ts';
import { domainParts } from '../network/domain-parts.ts';
import { communityId, transportNumber } from '../network/network-fields.ts';
import {
  addUnique,
  baseName,
  child,
  cleanIp,
  commandLineArgs,
  hasKeys,
  isoMillis,
  parseHashes,
  parseInteger,
  parsePort,
  setHashes,
  setPathParts,
  splitUser,
} from './windows-fields.ts';
import type { WindowsRecord } from './windows-record.ts';

interface Categorisation {
  readonly category?: readonly string[];
  readonly type: readonly string[];
  readonly action: string | readonly string[];
}

/** Sysmon event id → ECS categorisation (event.category, event.type, event.action). */
export const sysmonEvents: Readonly<Record<string, Categorisation>> = {
  '1': { category: ['process'], type: ['start'], action: 'Process creation' },
  '2': { category: ['file'], type: ['change'], action: 'A process changed a file creation time' },
  '3': { category: ['network'], type: ['start', 'connection', 'protocol'], action: 'Network connection' },
  '4': { category: ['process'], type: ['change'], action: 'Sysmon service state changed' },
  '5': { category: ['process'], type: ['end'], action: 'Process terminated' },
  '6': { category: ['driver'], type: ['start'], action: 'Driver loaded' },
  // Elastic's current integration lists the ECS verb beside Sysmon's name for image loads.
  '7': { category: ['process', 'library'], type: ['change', 'start'], action: ['Image loaded', 'load'] },
  '8': { category: ['process'], type: ['change'], action: 'CreateRemoteThread' },
  '9': { category: ['process'], type: ['access'], action: 'RawAccessRead' },
  '10': { category: ['process'], type: ['access'], action: 'ProcessAccess' },
  '11': { category: ['file'], type: ['creation'], action: 'FileCreate' },
  '12': {
    category: ['configuration', 'registry'],
    type: ['change'],
    action: 'RegistryEvent (Object create and delete)',
  },
  '13': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Value Set)' },
  '14': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Key and Value Rename)' },
  '15': { category: ['file'], type: ['access'], action: 'FileCreateStreamHash' },
  '16': { category: ['configuration'], type: ['change'], action: 'ServiceConfigurationChange' },
  '17': { category: ['file'], type: ['creation'], action: 'PipeEvent (Pipe Created)' },
  '18': { category: ['file'], type: ['access'], action: 'PipeEvent (Pipe Connected)' },
  '19': { category: ['process'], type: ['creation'], action: 'WmiEvent (WmiEventFilter activity detected)' },
  '20': { category: ['process'], type: ['creation'], action: 'WmiEvent (WmiEventConsumer activity detected)' },
  '21': { category: ['process'], type: ['access'], action: 'WmiEvent (WmiEventConsumerToFilter activity detected)' },
  '22': { category: ['network'], type: ['connection', 'protocol', 'info'], action: 'DNSEvent (DNS query)' },
  '23': { category: ['file'], type: ['deletion'], action: 'FileDelete (File Delete archived)' },
  '24': { type: ['change'], action: 'ClipboardChange (New content in the clipboard)' },
  '25': { category: ['process'], type: ['change'], action: 'ProcessTampering (Process image change)' },
  '26': { category: ['file'], type: ['deletion'], action: 'FileDeleteDetected (File Delete logged)' },
  '27': { category: ['file'], type: ['creation', 'denied'], action: 'FileBlockExecutable' },
  '28': { category: ['file'], type: ['deletion', 'denied'], action: 'FileBlockShredding' },
  '29': { category: ['file'], type: ['creation'], action: 'FileExecutableDetected' },
  '255': { category: ['process'], type: ['error'], action: 'Error' },
};

const processHashEvents = new Set(['1', '23', '24', '25']);
const fileHashEvents = new Set(['6', '7', '15', '26', '29']);
const registryEvents = new Set(['12', '13', '14']);

const registryHives: Readonly<Record<string, string>> = {
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCR: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
  HKCC: 'HKCC',
  HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU',
  HKEY_DYN_DATA: 'HKDD',
  HKDD: 'HKDD',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKLM: 'HKLM',
  HKEY_PERFORMANCE_DATA: 'HKPD',
  HKPD: 'HKPD',
  HKEY_USERS: 'HKU',
  HKU: 'HKU',
};

const dnsTypes: Readonly<Record<string, string>> = {
  '1': 'A',
  '2': 'NS',
  '5': 'CNAME',
  '6': 'SOA',
  '12': 'PTR',
  '15': 'MX',
  '16': 'TXT',
  '28': 'AAAA',
  '33': 'SRV',
  '65': 'HTTPS',
  '255': 'ANY',
};

function text(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

function setProcessImage(process: JsonObject, executable: string): void {
  process.executable = executable;
  const name = baseName(executable);
  if (name !== undefined) process.name = name;
}

function setCommandLine(process: JsonObject, commandLine: string): void {
  process.command_line = commandLine;
  const args = commandLineArgs(commandLine);
  process.args = args;
  process.args_count = args.length;
}

/** Map a Sysmon record onto `document`; returns the event time (UtcTime) when present. */
export function mapSysmon(record: WindowsRecord, document: EcsEvent, event: JsonObject): string | undefined {
  const data = record.data;
  const id = record.eventId ?? '';
  const categorisation = sysmonEvents[id];
  if (categorisation) {
    if (categorisation.category) event.category = [...categorisation.category];
    event.type = [...categorisation.type];
    event.action = typeof categorisation.action === 'string' ? categorisation.action : [...categorisation.action];
  }

  const ruleName = text(data, 'RuleName');
  if (ruleName !== undefined) document.rule = { name: ruleName };

  // Process: the acting process (Source* for process access and remote threads).
  const process: JsonObject = {};
  const entityId = text(data, 'ProcessGuid') ?? text(data, 'SourceProcessGuid') ?? text(data, 'SourceProcessGUID');
  if (entityId !== undefined) process.entity_id = entityId;
  const pid = parseInteger(text(data, 'ProcessId') ?? text(data, 'SourceProcessId'));
  if (pid !== undefined) process.pid = pid;
  const threadId = parseInteger(text(data, 'SourceThreadId'));
  if (threadId !== undefined) process.thread = { id: threadId };
  // A WMI command-line consumer (20) names the program it will run in Destination.
  const image =
    text(data, 'Image') ?? text(data, 'SourceImage') ?? (id === '20' ? text(data, 'Destination') : undefined);
  if (image !== undefined) setProcessImage(process, image);
  const commandLine = text(data, 'CommandLine');
  if (commandLine !== undefined) setCommandLine(process, commandLine);
  const currentDirectory = text(data, 'CurrentDirectory');
  if (currentDirectory !== undefined) process.working_directory = currentDirectory;

  const parentGuid = text(data, 'ParentProcessGuid');
  const parentPid = parseInteger(text(data, 'ParentProcessId'));
  const parentImage = text(data, 'ParentImage');
  const parentCommandLine = text(data, 'ParentCommandLine');
  if (parentGuid !== undefined || parentPid !== undefined || parentImage !== undefined || parentCommandLine) {
    const parent: JsonObject = {};
    if (parentGuid !== undefined) parent.entity_id = parentGuid;
    if (parentPid !== undefined) parent.pid = parentPid;
    if (parentImage !== undefined) setProcessImage(parent, parentImage);
    if (parentCommandLine !== undefined) setCommandLine(parent, parentCommandLine);
    process.parent = parent;
  }

  // Process access and remote threads: the target process is a process of its own in ECS terms.
  const targetImage = text(data, 'TargetImage');
  const targetGuid = text(data, 'TargetProcessGuid') ?? text(data, 'TargetProcessGUID');
  const targetPid = parseInteger(text(data, 'TargetProcessId'));
  if (targetImage !== undefined || targetGuid !== undefined || targetPid !== undefined) {
    const target: JsonObject = {};
    if (targetGuid !== undefined) target.entity_id = targetGuid;
    if (targetPid !== undefined) target.pid = targetPid;
    if (targetImage !== undefined) setProcessImage(target, targetImage);
    // Not part of ECS's core set, but the Target namespace is how ECS models the accessed process.
    document.Target = { process: target };
  }

  const hashesText = text(data, 'Hashes') ?? text(data, 'Hash');
  const hashes = hashesText !== undefined ? parseHashes(hashesText) : undefined;
  const related: JsonObject = {};
  if (hashes && hashes.values.length > 0) related.hash = hashes.values;

  const isImageLoad = id === '7';
  if (hashes && processHashEvents.has(id)) setHashes(process, hashes);
  if (!isImageLoad) {
    const originalFileName = text(data, 'OriginalFileName');
    const company = text(data, 'Company');
    const description = text(data, 'Description');
    const fileVersion = text(data, 'FileVersion');
    const product = text(data, 'Product');
    if (originalFileName || company || description || fileVersion || product) {
      const pe = child(process, 'pe');
      if (originalFileName) pe.original_file_name = originalFileName;
      if (company) pe.company = company;
      if (description) pe.description = description;
      if (fileVersion) pe.file_version = fileVersion;
      if (product) pe.product = product;
    }
  }
  if (hasKeys(process)) document.process = process;

  // File: created/deleted files, loaded images and drivers, pipes.
  const file: JsonObject = {};
  const filePath = text(data, 'TargetFilename') ?? text(data, 'Device') ?? text(data, 'ImageLoaded');
  if (filePath !== undefined) {
    file.path = filePath;
    setPathParts(file, filePath);
  }
  const pipeName = text(data, 'PipeName');
  if (pipeName !== undefined) file.name = pipeName;
  if (hashes && fileHashEvents.has(id)) setHashes(file, hashes);
  const signed = text(data, 'Signed');
  const signature = text(data, 'Signature');
  const signatureStatus = text(data, 'SignatureStatus');
  if (signed !== undefined || signature !== undefined || signatureStatus !== undefined) {
    const codeSignature = child(file, 'code_signature');
    if (signature !== undefined) codeSignature.subject_name = signature;
    if (signatureStatus !== undefined) codeSignature.status = signatureStatus;
    if (signed === 'true') codeSignature.signed = true;
    else if (signed === 'false') codeSignature.signed = false;
    if (signatureStatus === 'Valid') codeSignature.valid = true;
    codeSignature.trusted = signatureStatus === 'Valid';
  }
  if (isImageLoad) {
    const originalFileName = text(data, 'OriginalFileName');
    const company = text(data, 'Company');
    const description = text(data, 'Description');
    const fileVersion = text(data, 'FileVersion');
    const product = text(data, 'Product');
    const pe = (file.pe as JsonObject | undefined) ?? {};
    if (originalFileName) pe.original_file_name = originalFileName;
    if (company) pe.company = company;
    if (description) pe.description = description;
    if (fileVersion) pe.file_version = fileVersion;
    if (product) pe.product = product;
    if (filePath !== undefined) {
      const dll: JsonObject = { path: filePath };
      const name = baseName(filePath);
      if (name !== undefined) dll.name = name;
      if (hashes) setHashes(dll, hashes);
      if (originalFileName) child(dll, 'pe').original_file_name = originalFileName;
      // A failed check is only visible in Signed ("failed: Invalid hash"); report it as the status.
      const status =
        signatureStatus ?? (signed !== undefined && signed !== 'true' && signed !== 'false' ? signed : undefined);
      if (status !== undefined) child(dll, 'code_signature').status = status;
      if (signed === 'true') child(dll, 'code_signature').signed = true;
      if (signature !== undefined) child(dll, 'code_signature').subject_name = signature;
      document.dll = dll;
    }
    if (hasKeys(pe)) file.pe = pe;
  }
  if (hasKeys(file)) document.file = file;

  // Network connections and DNS.
  const network: JsonObject = {};
  const transport = text(data, 'Protocol');
  if (transport !== undefined) network.transport = transport;
  if (id === '22') network.protocol = 'dns';
  else {
    const protocol = text(data, 'DestinationPortName') ?? text(data, 'SourcePortName');
    if (protocol !== undefined) network.protocol = protocol;
  }
  const initiated = text(data, 'Initiated');
  if (initiated === 'true') network.direction = 'egress';
  else if (initiated === 'false') network.direction = 'ingress';
  const sourceIsIpv6 = text(data, 'SourceIsIpv6');
  if (sourceIsIpv6 === 'true') network.type = 'ipv6';
  else if (sourceIsIpv6 === 'false') network.type = 'ipv4';

  const sourceIpText = text(data, 'SourceIp');
  const sourceIp = sourceIpText !== undefined ? cleanIp(sourceIpText) : undefined;
  const sourceHost = text(data, 'SourceHostname');
  const sourcePort = parsePort(text(data, 'SourcePort'));
  if (sourceIp !== undefined || sourceHost !== undefined || sourcePort !== undefined) {
    const source: JsonObject = {};
    if (sourceIp !== undefined) {
      source.ip = sourceIp;
      addUnique(related, 'ip', sourceIp);
    }
    if (sourceHost !== undefined) source.domain = sourceHost;
    if (sourcePort !== undefined) source.port = sourcePort;
    document.source = source;
  }
  const destinationIpText = text(data, 'DestinationIp');
  const destinationIp = destinationIpText !== undefined ? cleanIp(destinationIpText) : undefined;
  const destinationHost = text(data, 'DestinationHostname');
  const destinationPort = parsePort(text(data, 'DestinationPort'));
  if (destinationIp !== undefined || destinationHost !== undefined || destinationPort !== undefined) {
    const destination: JsonObject = {};
    if (destinationIp !== undefined) {
      destination.ip = destinationIp;
      addUnique(related, 'ip', destinationIp);
    }
    if (destinationHost !== undefined) destination.domain = destinationHost;
    if (destinationPort !== undefined) destination.port = destinationPort;
    document.destination = destination;
  }
  const flowId = communityId(transportNumber(transport), sourceIp, destinationIp, sourcePort, destinationPort);
  if (flowId !== undefined) network.community_id = flowId;
  if (hasKeys(network)) document.network = network;

  const queryName = text(data, 'QueryName');
  if (queryName !== undefined) {
    const question: JsonObject = { name: queryName };
    const parts = domainParts(queryName);
    if (parts !== undefined) Object.assign(question, parts);
    const dns: JsonObject = { question };
    const results = text(data, 'QueryResults');
    if (results !== undefined) addDnsAnswers(dns, results, related);
    addUnique(related, 'hosts', queryName);
    document.dns = dns;
  }

  // Registry.
  const targetObject = text(data, 'TargetObject');
  if (targetObject !== undefined && registryEvents.has(id)) {
    document.registry = registryFields(targetObject, text(data, 'Details'));
  }

  // User: the SID of the logging context and the DOMAIN\name of the acting process.
  const user: JsonObject = {};
  if (record.userId !== undefined) user.id = record.userId;
  // Process access and remote threads name the acting account SourceUser (Sysmon 13+).
  const userText = text(data, 'User') ?? text(data, 'SourceUser');
  if (userText !== undefined) {
    const parts = splitUser(userText);
    if (parts.domain !== undefined) {
      if (parts.domain !== '') user.domain = parts.domain;
      if (parts.name !== '') user.name = parts.name;
    } else if (parts.name !== '') {
      user.name = parts.name;
    }
    if (typeof user.name === 'string') addUnique(related, 'user', user.name);
  }
  if (hasKeys(user)) document.user = user;

  // Process tampering (25) says what was tampered with ("Image is replaced") in Type.
  if (id === '25') {
    const tampering = text(data, 'Type');
    if (tampering !== undefined) document.message = tampering;
  }

  if (id === '255') {
    const errorCode = text(data, 'ID');
    if (errorCode !== undefined) document.error = { code: errorCode };
  }
  if (hasKeys(related)) document.related = related;

  const utcTime = text(data, 'UtcTime');
  return utcTime !== undefined ? isoMillis(utcTime) : undefined;
}

function addDnsAnswers(dns: JsonObject, results: string, related: JsonObject): void {
  const answers: JsonValue[] = [];
  const resolved: string[] = [];
  let start = 0;
  while (start < results.length) {
    let end = results.indexOf(';', start);
    if (end < 0) end = results.length;
    const entry = results.slice(start, end).trim();
    start = end + 1;
    if (entry === '') continue;
    if (entry.startsWith('type:')) {
      const parts = entry.slice(5).trim().split(/\s+/);
      const code = parts[0] ?? '';
      const type = Object.hasOwn(dnsTypes, code) ? (dnsTypes[code] as string) : code;
      if (parts.length >= 2 && parts[1]) {
        answers.push({ type, data: parts[1] });
        addUnique(related, 'hosts', parts[1]);
      } else {
        answers.push({ type });
      }
    } else {
      const ip = cleanIp(entry);
      if (ip === undefined) continue;
      resolved.push(ip);
      answers.push({ type: ip.indexOf(':') >= 0 ? 'AAAA' : 'A', data: ip });
      addUnique(related, 'ip', ip);
    }
  }
  if (answers.length > 0) dns.answers = answers;
  if (resolved.length > 0) dns.resolved_ip = resolved;
}

function registryFields(path: string, details: string | undefined): JsonObject {
  const registry: JsonObject = { path };
  const firstSlash = path.indexOf('\\');
  const root = firstSlash < 0 ? path : path.slice(0, firstSlash);
  const hive = Object.hasOwn(registryHives, root) ? registryHives[root] : undefined;
  if (hive !== undefined) {
    registry.hive = hive;
    if (firstSlash >= 0) registry.key = path.slice(firstSlash + 1);
  }
  const lastSlash = path.lastIndexOf('\\');
  registry.value = lastSlash < 0 ? path : path.slice(lastSlash + 1);
  if (details !== undefined) registry.data = registryData(details);
  return registry;
}

function registryData(details: string): JsonObject {
  if (details.startsWith('DWORD (') && details.endsWith(')')) {
    const value = parseInteger(details.slice(7, -1));
    if (value !== undefined) return { strings: [String(value)], type: 'SZ_DWORD' };
  }
  if (details.startsWith('QWORD (') && details.endsWith(')')) {
    const inner = details.slice(7, -1);
    const dash = inner.indexOf('-');
    const high = parseInteger(inner.slice(0, dash));
    const low = parseInteger(inner.slice(dash + 1));
    if (dash > 0 && high !== undefined && low !== undefined) {
      return { strings: [String(BigInt(high) * 4294967296n + BigInt(low))], type: 'SZ_QWORD' };
    }
  }
  if (details === 'Binary Data') return { strings: [details], type: 'REG_BINARY' };
  return { strings: [details], type: 'REG_SZ' };
}
