// Directory service change events (5136/5137/5141) of the Security mapping.
import { describe, expect, it } from 'vitest';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { firstRdnValue } from './security-mapping.ts';
import { evtxEvent, parseOne } from './windows-test-support.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

const parser = createEvtxJsonParser();
const security = { provider: 'Microsoft-Windows-Security-Auditing', keywords: '0x8020000000000000' };
const subject = {
  SubjectUserSid: 'S-1-5-21-70-80-90-1201',
  SubjectUserName: 'dir-admin',
  SubjectDomainName: 'NORTHWIND',
  SubjectLogonId: '0x5a5a5',
};

describe('Security mappings: directory service changes', () => {
  it('maps a changed user object (5136) to an admin change with the operation and the target user', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        5136,
        {
          ...subject,
          DSName: 'northwind.example',
          ObjectDN: 'CN=Okafor\\, Ada,OU=Finance,DC=northwind,DC=example',
          ObjectClass: 'user',
          AttributeLDAPDisplayName: 'scriptPath',
          OperationType: '%%14674',
        },
        security,
      ),
    );
    expect(event.event).toMatchObject({
      action: 'directory-service-object-modified',
      category: ['iam', 'configuration'],
      type: ['admin', 'change'],
      reason: 'Value Added',
    });
    expect(event.user).toMatchObject({ name: 'dir-admin', target: { name: 'Okafor, Ada' } });
    expect(event.related).toEqual({ user: ['dir-admin', 'Okafor, Ada'] });
  });

  it('categorises object deletion (5141) and names no target for a computer object', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        5141,
        { ...subject, ObjectDN: 'CN=KIOSK-3,CN=Computers,DC=northwind,DC=example', ObjectClass: 'computer' },
        security,
      ),
    );
    expect(event.event).toMatchObject({ category: ['iam', 'configuration'], type: ['admin', 'deletion'] });
    expect(event.user).toEqual({ id: 'S-1-5-21-70-80-90-1201', name: 'dir-admin', domain: 'NORTHWIND' });
  });

  it('reads the first RDN value of a distinguished name', () => {
    expect(firstRdnValue('cn=Win2000,CN=Users,DC=example')).toBe('Win2000');
    expect(firstRdnValue('CN=a\\,b\\\\c,OU=x')).toBe('a,b\\c');
    expect(firstRdnValue('no-rdn')).toBeUndefined();
  });
});

describe('Security mappings: share file checks', () => {
  it('joins a relative target that starts with a backslash without doubling it (5145)', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        5145,
        {
          ...subject,
          ShareName: '\\\\*\\Projects',
          ShareLocalPath: 'E:\\Projects',
          RelativeTargetName: '\\2026\\plan.md',
          IpAddress: '10.20.30.40',
          IpPort: '50999',
        },
        security,
      ),
    );
    expect(event.file).toEqual({
      path: 'E:\\Projects\\2026\\plan.md',
      name: 'plan.md',
      directory: 'E:\\Projects\\2026',
      extension: 'md',
      target_path: '\\\\*\\Projects\\2026\\plan.md',
    });
  });
});

describe('Security mappings: certificate services', () => {
  it('categorises a certificate revocation (4870) and a CA backup start (4876) like Elastic', () => {
    const revoked = parseOne(
      parser,
      evtxEvent(4870, { ...subject, CertificateSerialNumber: '61aa', RevocationReason: '1' }, security),
    );
    expect(revoked.event).toMatchObject({ action: 'certificate-revoked', category: ['iam'], type: ['change'] });
    expect(revoked.user).toMatchObject({ name: 'dir-admin' });
    const backup = parseOne(parser, evtxEvent(4876, { ...subject, BackupType: '1' }, security));
    expect(backup.event).toMatchObject({
      action: 'certificate-services-backup-started',
      category: ['session'],
      type: ['start'],
    });
  });
});

describe('Security mappings: certificate requests', () => {
  it("categorises an issued certificate (4887) and keeps the shipper's outcome of a denied request without keywords", () => {
    const issued = parseOne(parser, evtxEvent(4887, { ...subject, RequestId: '31', Disposition: '3' }, security));
    expect(issued.event).toMatchObject({ action: 'certificate-issued', category: ['iam'], type: ['creation'] });
    const denied = parseOne(createWinlogbeatParser(), {
      '@timestamp': '2026-04-04T09:00:00.000Z',
      event: { code: '4888', outcome: 'failure' },
      winlog: {
        channel: 'Security',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_id: '4888',
        event_data: { RequestId: '32', Disposition: '2', Requester: 'NORTHWIND\\kiosk$' },
      },
    });
    expect(denied.event).toMatchObject({ action: 'certificate-request-denied', type: ['info'], outcome: 'failure' });
  });
});
