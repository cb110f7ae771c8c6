// The system log parsers, in auto-detection order (most specific first), the catch-all JSON parser,
// and the names senders use for formats (Splunk HEC sourcetypes, product names).
import { createCloudTrailParser } from './cloud/cloudtrail-parser.ts';
import { createElbParser } from './cloud/elb-parser.ts';
import { createOktaParser } from './cloud/okta-parser.ts';
import { createJsonParser } from './json/json-parser.ts';
import type { Parser } from './parser.ts';
import { createSyslogParser } from './syslog/syslog-parser.ts';
import { createApacheAccessParser, createNginxAccessParser } from './web/access-log-parsers.ts';
import { createApacheErrorParser, createNginxErrorParser } from './web/error-log-parsers.ts';

export function systemParsers(): Parser[] {
  return [
    createCloudTrailParser(),
    createOktaParser(),
    createApacheAccessParser(),
    createNginxAccessParser(),
    createApacheErrorParser(),
    createNginxErrorParser(),
    createElbParser(),
    createSyslogParser(),
  ];
}

/** Catch-all parsers (generic JSON / ECS), tried after every specific format. */
export function genericParsers(): Parser[] {
  return [createJsonParser()];
}

/**
 * Alternative names for formats: HEC sourcetypes and common product names → parser format.
 * Keys are matched case-insensitively by the registry.
 */
export const formatAliases: Record<string, string> = {
  // Linux / Unix syslog
  syslog: 'syslog',
  linux_secure: 'syslog',
  'linux:secure': 'syslog',
  linux_messages_syslog: 'syslog',
  'linux:syslog': 'syslog',
  auth: 'syslog',
  authlog: 'syslog',
  secure: 'syslog',
  sshd: 'syslog',
  rfc5424: 'syslog',
  rfc3164: 'syslog',
  // web servers
  access_combined: 'apache-access',
  access_common: 'apache-access',
  access_combined_wcookie: 'apache-access',
  'apache:access': 'apache-access',
  'apache:access:combined': 'apache-access',
  apache_access: 'apache-access',
  apache: 'apache-access',
  'apache:error': 'apache-error',
  apache_error: 'apache-error',
  nginx: 'nginx-access',
  'nginx:plus:access': 'nginx-access',
  'nginx:access': 'nginx-access',
  nginx_access: 'nginx-access',
  'nginx:error': 'nginx-error',
  nginx_error: 'nginx-error',
  // cloud
  'aws:cloudtrail': 'aws-cloudtrail',
  cloudtrail: 'aws-cloudtrail',
  'aws:elb:accesslogs': 'aws-elb',
  'aws:elb': 'aws-elb',
  elb: 'aws-elb',
  'okta:im2': 'okta',
  'okta:im:log': 'okta',
  'OktaIM2:log': 'okta',
  'okta:system_log': 'okta',
  // network and security products (parsers owned by other modules)
  suricata: 'suricata-eve',
  'suricata:eve': 'suricata-eve',
  eve: 'suricata-eve',
  bro: 'zeek',
  zeek: 'zeek',
  'bro:json': 'zeek',
  'zeek:json': 'zeek',
  cef: 'cef',
  'common event format': 'cef',
  leef: 'leef',
  'ibm:leef': 'leef',
  fortigate: 'fortigate',
  fgt_log: 'fortigate',
  'fortinet:fortigate': 'fortigate',
  'fortinet:fortigate:traffic': 'fortigate',
  'fortinet:fortigate:utm': 'fortigate',
  'fortinet:fortigate:event': 'fortigate',
  'pan:log': 'panos',
  'pan:traffic': 'panos',
  'pan:threat': 'panos',
  'pan:system': 'panos',
  'pan:config': 'panos',
  'pan:globalprotect': 'panos',
  'pan:firewall': 'panos',
  paloalto: 'panos',
  'cisco:asa': 'cisco-asa',
  'cisco:ftd': 'cisco-asa',
  asa: 'cisco-asa',
  iptables: 'iptables',
  netfilter: 'iptables',
  // Windows
  XmlWinEventLog: 'winlogbeat',
  WinEventLog: 'winlogbeat',
  'XmlWinEventLog:Security': 'winlogbeat',
  'WinEventLog:Security': 'winlogbeat',
  'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational': 'winlogbeat',
  'WinEventLog:Microsoft-Windows-Sysmon/Operational': 'winlogbeat',
  winlogbeat: 'winlogbeat',
  // generic JSON
  _json: 'json',
  json: 'json',
  json_no_timestamp: 'json',
  ecs: 'json',
};
