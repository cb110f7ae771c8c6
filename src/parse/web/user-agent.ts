// A small User-Agent parser for ECS `user_agent.*`: browser name/version, OS name/version and a
// coarse device name for the agents that dominate web logs (browsers, bots, HTTP tools).
// Results are memoised: a site sees few distinct agents, so the per-event cost is a map lookup.
import type { JsonObject } from '../../model/event.ts';

export interface UserAgent {
  readonly original: string;
  readonly name: string;
  readonly version?: string;
  readonly os?: { readonly name: string; readonly version?: string; readonly full?: string };
  readonly device: { readonly name: string };
}

const maxLength = 1024;
const cacheLimit = 2048;

const botPattern =
  /(Googlebot|bingbot|Baiduspider|YandexBot|DuckDuckBot|Slurp|Facebot|facebookexternalhit|Twitterbot|AhrefsBot|SemrushBot|MJ12bot|DotBot|PetalBot|Applebot|GPTBot|ClaudeBot|CCBot|\b[A-Za-z][\w-]*(?:[Bb]ot|[Cc]rawler|[Ss]pider)\b)[/ ]?v?(\d+(?:\.\d+)*)?/;
const toolPattern =
  /^\[?(curl|Wget|python-requests|Python-urllib|Go-http-client|Java|okhttp|axios|node-fetch|PostmanRuntime|Apache-HttpClient|libwww-perl|HTTPie|PowerShell|Nmap Scripting Engine|masscan|sqlmap|Nikto|zgrab|aws-sdk-[a-z]+|Boto3|aws-cli)(?:\/(\S+))?/;
const edgePattern = /\bEdg(?:e|A|iOS)?\/(\d+(?:\.\d+)*)/;
const operaPattern = /\bOPR\/(\d+(?:\.\d+)*)|\bOpera[ /](\d+(?:\.\d+)*)/;
const silkPattern = /\bSilk\/(\d+(?:\.\d+)*)/;
const samsungPattern = /\bSamsungBrowser\/(\d+(?:\.\d+)*)/;
const yandexPattern = /\bYaBrowser\/(\d+(?:\.\d+)*)/;
const chromePattern = /\b(?:Chrome|CriOS)\/(\d+(?:\.\d+)*)/;
const firefoxPattern = /\b(?:Firefox|FxiOS)\/(\d+(?:\.\d+)*)(?:([ab])(\d+))?/;
const safariVersionPattern = /\bVersion\/(\d+(?:\.\d+)*)/;
const msiePattern = /\bMSIE (\d+(?:\.\d+)*)/;
const tridentPattern = /\bTrident\/\d.*\brv:(\d+(?:\.\d+)*)/;

const windowsPattern = /\bWindows NT (\d+\.\d+)/;
const macPattern = /\bMac OS X (\d+(?:[._]\d+)*)/;
const iosPattern = /\b(?:iPhone|CPU) OS (\d+(?:_\d+)*)/;
// Native iOS apps (Okta Verify and other SDK clients) name their platform as `iOS/16.1.2`.
const iosAppPattern = /\biOS\/(\d+(?:\.\d+)*)/;
const iosDevicePattern = /\b(?:iPhone|iPad|iPod)/;
const androidPattern = /\bAndroid (\d+(?:\.\d+)*)/;

const windowsVersions: Record<string, string> = {
  '10.0': '10',
  '6.3': '8.1',
  '6.2': '8',
  '6.1': '7',
  '6.0': 'Vista',
  '5.2': 'XP',
  '5.1': 'XP',
  '5.0': '2000',
};

function joinedVersion(parts: string | undefined): string | undefined {
  return parts?.replace(/_/g, '.');
}

function osOf(text: string): UserAgent['os'] {
  let match = windowsPattern.exec(text);
  if (match) {
    const version = windowsVersions[match[1]!];
    return version ? { name: 'Windows', version, full: `Windows ${version}` } : { name: 'Windows' };
  }
  match = iosPattern.exec(text);
  if (match) {
    const version = joinedVersion(match[1]);
    return { name: 'iOS', version, full: `iOS ${version}` };
  }
  match = iosAppPattern.exec(text);
  if (match && iosDevicePattern.test(text)) return { name: 'iOS', version: match[1]!, full: `iOS ${match[1]}` };
  match = macPattern.exec(text);
  if (match) {
    const version = joinedVersion(match[1]);
    return { name: 'Mac OS X', version, full: `Mac OS X ${version}` };
  }
  match = androidPattern.exec(text);
  if (match) return { name: 'Android', version: match[1]!, full: `Android ${match[1]}` };
  if (text.includes('CrOS')) return { name: 'Chrome OS' };
  if (text.includes('Ubuntu')) return { name: 'Ubuntu' };
  if (text.includes('Linux')) return { name: 'Linux' };
  return undefined;
}

function deviceOf(text: string, spider: boolean): string {
  if (spider) return 'Spider';
  if (text.includes('iPhone')) return 'iPhone';
  if (text.includes('iPad')) return 'iPad';
  if (text.includes('Macintosh')) return 'Mac';
  return 'Other';
}

function browserOf(text: string): { name: string; version?: string } | undefined {
  let match = edgePattern.exec(text);
  if (match) return { name: 'Edge', version: match[1] };
  match = operaPattern.exec(text);
  if (match) return { name: 'Opera', version: match[1] ?? match[2] };
  match = silkPattern.exec(text);
  if (match) return { name: 'Amazon Silk', version: match[1] };
  match = samsungPattern.exec(text);
  if (match) return { name: 'Samsung Internet', version: match[1] };
  match = yandexPattern.exec(text);
  if (match) return { name: 'Yandex Browser', version: match[1] };
  match = chromePattern.exec(text);
  if (match) return { name: text.includes('Mobile') ? 'Chrome Mobile' : 'Chrome', version: match[1] };
  match = firefoxPattern.exec(text);
  if (match) {
    const stage = match[2] === 'a' ? ' Alpha' : match[2] === 'b' ? ' Beta' : '';
    return { name: `Firefox${stage}`, version: match[2] ? `${match[1]}.${match[2]}${match[3]}` : match[1] };
  }
  match = msiePattern.exec(text) ?? tridentPattern.exec(text);
  if (match) return { name: 'IE', version: match[1] };
  // iOS WebKit agents may end in a bare `Safari` token without a version.
  if (text.includes('Safari/') || (iosDevicePattern.test(text) && /\bSafari$/.test(text))) {
    match = safariVersionPattern.exec(text);
    return { name: text.includes('Mobile') ? 'Mobile Safari' : 'Safari', version: match?.[1] };
  }
  // uap-core's family for iOS apps that embed WebKit without the Safari token.
  if (iosDevicePattern.test(text) && (text.includes('AppleWebKit') || iosAppPattern.test(text)))
    return { name: 'Mobile Safari UI/WKWebView' };
  return undefined;
}

// SDK and CLI agents name their platform as `Linux/4.9.184`, `os/linux#6.8` or `Windows/7`, and the
// ones built on botocore count as spiders for the uap-core rules Elastic's user_agent processor uses.
function toolOsOf(text: string): UserAgent['os'] {
  const linux = /\bLinux\/(\d+\.\d+(?:\.\d+)?)/.exec(text);
  if (linux) return { name: 'Linux', version: linux[1]!, full: `Linux ${linux[1]}` };
  if (/\bos\/linux\b/.test(text)) return { name: 'Linux' };
  if (/\bWindows\//.test(text)) return { name: 'Windows' };
  return undefined;
}

function compute(text: string): UserAgent {
  const tool = toolPattern.exec(text);
  if (tool) {
    const device = { name: /[Bb]ot/.test(text) ? 'Spider' : 'Other' };
    return { original: text, name: tool[1]!, version: tool[2]?.replace(/\]$/, ''), os: toolOsOf(text), device };
  }
  const bot = botPattern.exec(text);
  const os = osOf(text);
  if (bot) return { original: text, name: bot[1]!, version: bot[2], os, device: { name: 'Spider' } };
  const browser = browserOf(text);
  return {
    original: text,
    name: browser?.name ?? 'Other',
    version: browser?.version,
    os,
    device: { name: deviceOf(text, false) },
  };
}

/** Parses and memoises user agents; one instance per parser (no global state). */
export class UserAgentParser {
  readonly #cache = new Map<string, UserAgent>();

  /** ECS `user_agent` object for a User-Agent header value (a fresh object: callers may change it). */
  parse(text: string): JsonObject {
    let value = this.#cache.get(text);
    if (value === undefined) {
      value = text.length > maxLength ? { original: text, name: 'Other', device: { name: 'Other' } } : compute(text);
      if (this.#cache.size >= cacheLimit) this.#cache.clear();
      this.#cache.set(text, value);
    }
    return toJson(value);
  }
}

function toJson(value: UserAgent): JsonObject {
  const object: JsonObject = { original: value.original, name: value.name, device: { name: value.device.name } };
  if (value.version !== undefined) object['version'] = value.version;
  if (value.os !== undefined) {
    const os: JsonObject = { name: value.os.name };
    if (value.os.version !== undefined) os['version'] = value.os.version;
    if (value.os.full !== undefined) os['full'] = value.os.full;
    object['os'] = os;
  }
  return object;
}
