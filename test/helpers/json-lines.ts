/**
 * The keys that occur more than once in one object of a JSON text. JSON.parse keeps the
 * last silently; log pipelines (and some parsers) reject such a line or lose a value.
 */
export function duplicateKeys(json: string): string[] {
  const dupes: string[] = [];
  // One entry per open object (a Set of its keys) or array (null).
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const text = JSON.parse(json.slice(i, j + 1)) as string;
      let k = j + 1;
      while (json[k] === ' ') k++;
      const top = stack[stack.length - 1];
      if (json[k] === ':' && top) {
        if (top.has(text)) dupes.push(text);
        top.add(text);
      }
      i = j + 1;
      continue;
    }
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    i++;
  }
  return dupes;
}
