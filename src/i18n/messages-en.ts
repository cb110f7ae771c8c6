// The catalogue of server-written sentences: every message code with its English template
// (`{{name}}` placeholders), and the English names of the enum values parameters carry. The
// server renders these into the `text` fields of its API; the console uses the same templates as
// its English resources and web/src/i18n/server-zh.ts as the Chinese ones (the type checker makes
// it provide every code; src/i18n/messages.test.ts checks both use the same placeholders).

export const messagesEn = {
  triage: {
    maxLevel: 'highest alert level is {{level}}',
    distinctRules: '{{count}} different detection rule(s) fired',
    distinctTactics: '{{count}} ATT&CK tactic(s) involved',
    lateStage: 'reaches a late kill-chain stage (e.g. credential access, lateral movement)',
    noLateStage: 'no late kill-chain stage',
    intel: 'threat-intelligence match (confidence {{confidence}})',
    noIntel: 'no threat-intelligence match',
    correlation: 'a correlation rule matched',
    noCorrelation: 'no correlation rule matched',
    commonRules: '{{percent}}% of its rules fire on many hosts (often administration)',
    volume: '{{count}} alert(s)',
    criticality: 'asset criticality {{criticality}}',
  },
  priority: {
    severity: '{{count}} rule(s) fired; the strongest counts fully, the others less',
    routine: '{{count}} detection(s) weighted down: the behaviour {{routine}}',
    tactics: '{{count}} ATT&CK tactics (an attack progressing)',
    killChain: 'reaches {{tactics}} (late kill-chain stage)',
    intel: 'threat-intel match (confidence {{confidence}})',
    correlation: '{{count}} correlation rule(s) matched',
    asset: 'asset criticality {{criticality}} (×{{factor}})',
  },
  heldBack: {
    level: 'only {{level}}-level alerts',
    routine: 'only routine activity: the behaviour {{routine}}',
    threshold: "priority {{priority}} below the unit's threshold {{threshold}}",
  },
  title: {
    moreOne: ' and 1 more detection',
    more: ' and {{count}} more detections',
    onHost: ' on {{host}}',
    moreHosts: ' +{{count}} hosts',
    user: ' ({{user}})',
  },
  /** Joins between the sentences and list items of a phrase. */
  punctuation: {
    sentenceBreak: '. ',
    space: ' ',
    listSeparator: '; ',
    dash: ' — ',
    fullStop: '.',
  },
  report: {
    stepLevel: ' ({{level}})',
    stepLevelTimes: ' ({{level}}, {{count}} times)',
    stepHost: ' on {{host}}',
    stepUser: ' as {{user}}',
    ruleMatched: 'Rule "{{rule}}" ({{level}}) matched {{count}} time(s) between {{from}} and {{to}}',
    ruleByMatched: 'Rule "{{rule}}" ({{level}}, by {{author}}) matched {{count}} time(s) between {{from}} and {{to}}',
    intelListed: '{{kind}} {{value}} is listed by ',
    intelSource: '{{source}} (confidence {{confidence}})',
    intelSourceThreat: '{{source}} (confidence {{confidence}}, {{threat}})',
    resetCredentials: 'Reset credentials and revoke sessions',
    resetCredentialsWhy: 'credential access was observed; assume the credentials are known to the attacker',
    isolateHost: 'Isolate the host from the network',
    isolateHostWhy: 'lateral movement was observed from or to this host',
    blockC2: 'Isolate the host and block its command-and-control destinations',
    blockC2Why: 'command-and-control activity was observed',
    removePersistence: 'Review and remove persistence (services, Run keys, scheduled tasks)',
    removePersistenceWhy: 'persistence was established',
    checkBackups: 'Isolate the host and check backups of affected data',
    checkBackupsWhy: 'impact techniques (destruction, encryption) were observed',
    blockExfiltration: 'Block the exfiltration destination and assess what data left',
    blockExfiltrationWhy: 'exfiltration was observed',
    blockIndicator: 'Block {{kind}} at the perimeter and search for other contacts',
    blockIndicatorWhy: 'listed by threat intelligence',
    collectTriage: 'Collect a triage package (memory, autoruns, event logs)',
    collectTriageWhy: 'preserve evidence before remediation',
    confirmOwner: 'Confirm with the owner or the unit whether the activity was expected',
    confirmOwnerWhy: 'administrative activity often looks like an attack',
    askUserExpected: 'Was the activity of {{user}} expected (a change ticket or an admin task)?',
    askNoConnections:
      'No network connections were recorded for {{host}} in the window: is network telemetry (Sysmon 3, firewall, Zeek) collected for it?',
    askSimilar: '{{count}} similar incident(s) exist without an analyst verdict: are they the same activity?',
    askInjection:
      'Some event content contains text addressed to an AI assistant (possible prompt injection): review the raw events.',
    summaryUnit: ' (unit {{unit}})',
    summaryAlerts: '{{alerts}} alert(s) from {{detections}} detection(s)',
    summaryHosts: ' on {{hosts}}',
    summaryWindow: ' between {{from}} and {{to}}.',
    summaryTactics: 'ATT&CK tactics observed: {{tactics}}.',
    summaryIntelOne: '1 entity is listed by threat intelligence.',
    summaryIntelMany: '{{count}} entities are listed by threat intelligence.',
    summaryAssessment: 'Assessment: {{verdict}} (confidence {{confidence}}%)',
    summaryJudged: 'Analysts judged {{count}} similar past incident(s): {{benign}} benign.',
  },
  chat: {
    processTree: 'Process tree on {{host}} ({{count}} process creation(s)):',
    noProcesses: 'No process creations were recorded on {{host}} around the incident.',
    connections: 'Network connections of {{host}}: ',
    noConnections: 'No network connections were recorded for {{host}} around the incident.',
    userActivity: 'Activity of {{user}} ({{count}} event(s)): ',
    onHost: ' on {{host}}',
    noUserEvents: 'No events of {{user}} were found around the incident.',
    notListed: '{{kind}} {{value}} is not on any loaded threat-intelligence feed.',
    similar: 'Similar past incidents: ',
    similarItem: '{{title}} ({{status}})',
    similarItemJudged: '{{title}} ({{status}}, judged {{verdict}})',
    noSimilar: 'No similar past incidents were found in this unit.',
    attack: 'ATT&CK: ',
    unknownTechnique: '{{id}} (unknown technique id)',
    noTechniques: 'no techniques are mapped for this incident',
    overview: ' (priority {{priority}})',
    overviewTriage: ' (priority {{priority}}, triage: {{verdict}})',
    help: ' I answer questions about processes, network connections, users, threat intel, similar incidents and ATT&CK techniques; ask about one of those for details.',
    injection:
      'Note: some event content contains text addressed to an AI assistant (possible prompt injection); it was treated as data.',
  },
} as const;

/** Enum values that parameters of these names carry, by parameter name. */
export const messageValuesEn = {
  level: { informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  criticality: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  verdict: { malicious: 'malicious', suspicious: 'suspicious', benign: 'benign' },
  routine: {
    'recurs-on-host': 'recurs on its host through the day',
    habitual: 'recurs through the day on other hosts too',
    'user-sweep': "is one account's routine across many hosts",
    prevalent: 'is seen on a large share of all hosts',
  },
  kind: { host: 'host', user: 'user', ip: 'ip', process: 'process', file: 'file', domain: 'domain' },
  status: { new: 'new', in_progress: 'in progress', escalated: 'escalated', resolved: 'resolved', closed: 'closed' },
} as const;

type Catalogue = typeof messagesEn;

/** Every message code, `group.name`. */
export type MessageCode = {
  [Group in keyof Catalogue]: `${Group & string}.${keyof Catalogue[Group] & string}`;
}[keyof Catalogue];

/** The shape another language's catalogue must have: every code, any text. */
export type MessageCatalogue = {
  readonly [Group in keyof Catalogue]: { readonly [Name in keyof Catalogue[Group]]: string };
};

/** The shape of another language's enum names. */
export type MessageValueCatalogue = {
  readonly [Param in keyof typeof messageValuesEn]: {
    readonly [Value in keyof (typeof messageValuesEn)[Param]]: string;
  };
};
