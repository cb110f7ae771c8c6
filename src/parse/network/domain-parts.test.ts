import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../model/event.ts';
import { domainParts, putDomainParts } from './domain-parts.ts';

describe('domainParts', () => {
  it('splits queried names into registered domain, public suffix and subdomain', () => {
    expect(domainParts('a.b.shop.co.uk')).toEqual({
      registered_domain: 'shop.co.uk',
      top_level_domain: 'co.uk',
      subdomain: 'a.b',
    });
    // A suffix from the private section of the list: the whole name is the registered domain.
    expect(domainParts('tenant.freetls.fastly.net')).toEqual({
      registered_domain: 'tenant.freetls.fastly.net',
      top_level_domain: 'freetls.fastly.net',
    });
    expect(domainParts('Update.Example.COM.')).toEqual({
      registered_domain: 'example.com',
      top_level_domain: 'com',
      subdomain: 'Update',
    });
    expect(domainParts('example.com')).toEqual({ registered_domain: 'example.com', top_level_domain: 'com' });
    expect(domainParts('7.2.0.192.in-addr.arpa')).toEqual({
      registered_domain: '192.in-addr.arpa',
      top_level_domain: 'in-addr.arpa',
      subdomain: '7.2.0',
    });
    for (const local of ['wpad', 'nas01.local', 'dc1.corp', '192.0.2.10', 'co.uk', 'a..b.com']) {
      expect(domainParts(local), local).toBeUndefined();
    }
  });

  it('gives no registered domain to names no registry delegates', () => {
    const doc: JsonObject = {};
    putDomainParts(doc, 'dns.question', '_printer._tcp.local');
    putDomainParts(doc, 'dns.question', '192.0.2.1');
    putDomainParts(doc, 'dns.question', 'localhost');
    expect(doc).toEqual({});
    putDomainParts(doc, 'dns.question', 'example.org');
    expect(doc).toEqual({ dns: { question: { registered_domain: 'example.org', top_level_domain: 'org' } } });
  });

  it('treats a second-level label under any two-letter country code as part of the suffix', () => {
    expect(domainParts('mail.example.com.ru')).toEqual({
      registered_domain: 'example.com.ru',
      top_level_domain: 'com.ru',
      subdomain: 'mail',
    });
    expect(domainParts('www.example.co')).toEqual({
      registered_domain: 'example.co',
      top_level_domain: 'co',
      subdomain: 'www',
    });
  });
});
