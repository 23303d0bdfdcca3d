/**
 * Adds the banner's CSS without an inline style attribute, so a strict Content-Security-Policy
 * holds: a `<style nonce>` when the page gave a nonce, else a constructable stylesheet (which
 * `style-src` does not govern), else a plain `<style>`. Returns a function that removes it.
 */
export function attachStyles(doc: Document, css: string, nonce?: string): () => void {
  const Sheet = doc.defaultView?.CSSStyleSheet;
  if (!nonce && Sheet && 'adoptedStyleSheets' in doc && 'replaceSync' in Sheet.prototype) {
    const sheet = new Sheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  doc.head.append(style);
  return () => style.remove();
}
