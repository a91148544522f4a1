/**
 * The offset of the first character that makes `text` invalid JSON (RFC 8259), or undefined when it is
 * valid. JSON.parse on Node 20 names no position for an unexpected token ("Unexpected token '}', ... is
 * not valid JSON"); this finds it, so a broken report is pointed at where it breaks. Iterative: a
 * deeply nested file cannot overflow the stack.
 */
export function locateJsonError(text: string): number | undefined {
  const open: string[] = [];
  let at = 0;
  let expect: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end' = 'value';
  const afterValue = () => (open.length === 0 ? 'end' : 'comma-or-close');
  for (;;) {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at += 1;
    if (at >= text.length) return expect === 'end' ? undefined : at;
    const char = text[at] as string;
    if (expect === 'end') return at;
    if (expect === 'colon') {
      if (char !== ':') return at;
      at += 1;
      expect = 'value';
    } else if (expect === 'comma-or-close') {
      const container = open.at(-1);
      if (char === ',') {
        at += 1;
        expect = container === '{' ? 'key' : 'value';
      } else if (char === (container === '{' ? '}' : ']')) {
        at += 1;
        open.pop();
        expect = afterValue();
      } else return at;
    } else if ((expect === 'key-or-close' && char === '}') || (expect === 'value-or-close' && char === ']')) {
      at += 1;
      open.pop();
      expect = afterValue();
    } else if (expect === 'key' || expect === 'key-or-close') {
      if (char !== '"') return at;
      const end = stringEnd(text, at);
      if (end < 0) return -end - 1;
      at = end;
      expect = 'colon';
    } else if (char === '{' || char === '[') {
      open.push(char);
      at += 1;
      expect = char === '{' ? 'key-or-close' : 'value-or-close';
    } else {
      const end = char === '"' ? stringEnd(text, at) : scalarEnd(text, at);
      if (end < 0) return -end - 1;
      at = end;
      expect = afterValue();
    }
  }
}

/** Where the string starting at `start` ends (just after its quote), or -(offset + 1) of what breaks it. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return -at - 1;
    if (code === 0x5c) {
      const escape = text[at + 1];
      if (escape === 'u') {
        for (let digit = at + 2; digit < at + 6; digit += 1) if (!/[0-9a-fA-F]/.test(text[digit] ?? '')) return -digit - 1;
        at += 5;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at += 1;
      else return -(at + 1) - 1;
    }
  }
  return -text.length - 1;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Where the number or literal starting at `start` ends, or -(offset + 1) of what breaks it. */
function scalarEnd(text: string, start: number): number {
  const fail = (offset: number) => -offset - 1;
  for (const literal of ['true', 'false', 'null']) {
    if (text[start] !== literal[0]) continue;
    for (let index = 1; index < literal.length; index += 1) if (text[start + index] !== literal[index]) return fail(start + index);
    return start + literal.length;
  }
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match === null) return fail(text[start] === '-' ? start + 1 : start);
  const number = match[0];
  const end = start + number.length;
  const next = text[end];
  // "1." and "1e" break where a digit was due; anything else after a number is the next token's problem.
  if (next === '.' && !/[.eE]/.test(number)) return fail(end + 1);
  if ((next === 'e' || next === 'E') && !/[eE]/.test(number)) return fail(end + 1 + (text[end + 1] === '+' || text[end + 1] === '-' ? 1 : 0));
  return end;
}
