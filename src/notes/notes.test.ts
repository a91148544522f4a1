import { describe, expect, it } from 'vitest';
import { prLinkFromRemote } from '../app/release-notes.js';
import { prependChangelog } from './changelog.js';
import { deprecationsFor, parseDeprecation } from './deprecations.js';
import { escapeHtml, renderNotesHtml } from './render-html.js';
import { escapeInline, fill } from './render-markdown.js';

describe('prependChangelog', () => {
  const entry = '## Billing v2.1.0\n\n**Release Date:** 2026-02-11\n';

  it('creates the file with a heading, and adds an entry only once', () => {
    const first = prependChangelog(undefined, entry);
    expect(first).toBe('# Changelog\n\n## Billing v2.1.0\n\n**Release Date:** 2026-02-11\n');
    expect(prependChangelog(first, entry)).toBe(first);
  });

  it('keeps everything below byte for byte', () => {
    const old = '# Changelog\n\n## Billing v2.0.0\n\n* hand *edited*, with trailing spaces  \n';
    expect(prependChangelog(old, entry)).toBe(`# Changelog\n\n${entry}\n## Billing v2.0.0\n\n* hand *edited*, with trailing spaces  \n`);
  });
});

describe('deprecations', () => {
  const d = parseDeprecation('`GET /api/v1/invoices` - Use `GET /api/v2/invoices` instead. Will be removed in v3.0.0 (June 2026)', '2.0.1');

  it('reads what, the replacement and the removal version and date', () => {
    expect(d).toEqual({ what: '`GET /api/v1/invoices`', replacement: '`GET /api/v2/invoices`', removal: '3.0.0', removalDate: 'June 2026', since: '2.0.1' });
  });

  it('stays listed until the MAJOR that removes it, which lists it as removed, and is gone after', () => {
    expect(deprecationsFor([d], '2.9.0', '2.8.0')).toEqual({ listed: [d], removed: [] });
    expect(deprecationsFor([d], '3.0.0', '2.9.0')).toEqual({ listed: [], removed: [d] });
    expect(deprecationsFor([d], '3.1.0', '3.0.0')).toEqual({ listed: [], removed: [] });
    const open = parseDeprecation('legacy export', '1.4.0');
    expect(deprecationsFor([open], '1.9.0', '1.8.0').listed).toEqual([open]);
    expect(deprecationsFor([open], '2.0.0', '1.9.0').removed).toEqual([open]);
  });
});

describe('escaping', () => {
  it('shows commit text as written in Markdown', () => {
    expect(escapeInline('use *stars* and _under_ <b> | [x](y)')).toBe('use \\*stars\\* and \\_under\\_ \\<b\\> \\| \\[x\\](y)');
    expect(escapeInline('# not a heading')).toBe('\\# not a heading');
    expect(escapeInline('`code` stays')).toBe('`code` stays');
    expect(escapeInline('one ` tick')).toBe('one \\` tick');
  });

  it('escapes HTML and keeps only http(s) links', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const html = renderNotesHtml('- [click](javascript:alert(1)) and \\<img src=x onerror=y\\>', 't');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
  });

  it('drops a template line whose value is empty', () => {
    expect(fill('- **{title}**{pr}\n  {body}', { title: 'X', pr: '', body: '' })).toBe('- **X**');
  });

  it('leaves a placeholder named like an Object.prototype member as written', () => {
    expect(fill('{title} {constructor} {toString} {__proto__}', { title: 'X' })).toBe('X {constructor} {toString} {__proto__}');
  });
});

describe('prLinkFromRemote', () => {
  it.each([
    ['git@github.com:7d/platform.git', 'https://github.com/7d/platform/pull/{number}'],
    ['https://github.com/7d/platform', 'https://github.com/7d/platform/pull/{number}'],
    ['https://gitlab.com/group/sub/proj.git', 'https://gitlab.com/group/sub/proj/-/merge_requests/{number}'],
    ['/srv/git/repo.git', null],
  ])('%s', (remote, link) => expect(prLinkFromRemote(remote)).toBe(link));
});
