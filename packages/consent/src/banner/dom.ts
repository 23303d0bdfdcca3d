type Attributes = Record<string, string | boolean | undefined>;

/** A small element builder: no innerHTML, so Trusted Types and a strict CSP hold. */
export function h(
  doc: Document,
  tag: string,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElement {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) el.setAttribute(name, '');
    else if (typeof value === 'string') el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}
