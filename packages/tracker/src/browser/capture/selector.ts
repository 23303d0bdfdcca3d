// Generated ids and classes (React's ":r1:", CSS-in-JS "css-1x2y3z", build hashes) change between
// deploys; a selector built on them would split one button into many.
const UNSTABLE = /\d{3}|^\d|[:[\]]|__|^(css|sc|jsx|emotion)-/i;

const ident = (value: string) => value.replace(/[^\w-]/g, '\\$&');

/**
 * A short CSS selector that finds `element` and stays the same across page loads and deploys:
 * up to 4 steps of tag, two stable classes and position, anchored on the nearest stable id.
 */
export function selectorFor(element: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = element; node && parts.length < 4; node = node.parentElement) {
    const { id, localName: tag, parentElement: parent } = node;
    if (id && !UNSTABLE.test(id)) {
      parts.unshift(`#${ident(id)}`);
      break;
    }
    let part = tag;
    for (const name of [...node.classList].filter((c) => !UNSTABLE.test(c)).slice(0, 2)) part += `.${ident(name)}`;
    const siblings = parent ? [...parent.children].filter((s) => s.localName === tag) : [];
    if (siblings[1]) part += `:nth-of-type(${siblings.indexOf(node) + 1})`;
    parts.unshift(part);
    if (tag === 'body') break;
  }
  return parts.join('>');
}
