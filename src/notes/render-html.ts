/**
 * HTML from the notes' Markdown: the constructs the notes use (headings, lists with continuation lines,
 * paragraphs, tables, code fences, **bold**, `code`, [links](url), backslash escapes). Every piece of
 * text is HTML-escaped, so a commit message can never inject markup; links keep only http(s) URLs.
 */
export function renderNotesHtml(markdown: string, title: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${renderNotesBody(markdown)}\n</body>\n</html>\n`;
}

/** The notes as HTML elements, for a page of its own or inside another (the dashboard's preview). */
export function renderNotesBody(markdown: string): string {
  const body: string[] = [];
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  let list: string[] | null = null;
  const closeList = () => {
    if (list) body.push(`<ul>\n${list.map((item) => `<li>${item}</li>`).join('\n')}\n</ul>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.startsWith('```')) {
      closeList();
      const code: string[] = [];
      for (i += 1; i < lines.length && !lines[i]!.startsWith('```'); i += 1) code.push(lines[i]!);
      body.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (heading) {
      closeList();
      body.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      list ??= [];
      list.push(inline(line.replace(/^\s*[-*]\s+/, '')));
    } else if (list && /^\s{2,}\S/.test(line)) {
      list[list.length - 1] += `<br>\n${inline(line.trim())}`;
    } else if (/^\|.*\|$/.test(line.trim())) {
      closeList();
      const rows: string[][] = [];
      for (; i < lines.length && /^\|.*\|$/.test(lines[i]!.trim()); i += 1) rows.push(splitRow(lines[i]!));
      i -= 1;
      const [head = [], , ...rest] = rows;
      body.push(`<table>\n<thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>\n<tbody>\n${rest.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody>\n</table>`);
    } else if (line.trim() === '') {
      if (!(list && /^\s*[-*]\s+/.test(lines[i + 1] ?? ''))) closeList();
    } else {
      closeList();
      body.push(`<p>${inline(line)}</p>`);
    }
  }
  closeList();
  return body.join('\n');
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Inline Markdown to HTML: code spans, links, bold; escapes undone, everything escaped for HTML. */
function inline(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const code = /^`([^`]+)`/.exec(rest);
    const link = /^\[((?:\\.|[^\]])+)\]\((https?:\/\/[^)\s]+)\)/.exec(rest);
    const bold = /^\*\*((?:\\.|[^*])+)\*\*/.exec(rest);
    if (text[i] === '\\' && i + 1 < text.length) {
      out.push(escapeHtml(text[i + 1]!));
      i += 2;
    } else if (code) {
      out.push(`<code>${escapeHtml(code[1]!)}</code>`);
      i += code[0].length;
    } else if (link) {
      out.push(`<a href="${escapeHtml(link[2]!)}">${inline(link[1]!)}</a>`);
      i += link[0].length;
    } else if (bold) {
      out.push(`<strong>${inline(bold[1]!)}</strong>`);
      i += bold[0].length;
    } else {
      out.push(escapeHtml(text[i]!));
      i += 1;
    }
  }
  return out.join('');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}
