/**
 * The banner's CSS. Theme it by overriding the custom properties on `.lc-root` (or any ancestor):
 * --loupe-bg, --loupe-fg, --loupe-accent, --loupe-accent-fg, --loupe-font, --loupe-radius,
 * --loupe-backdrop, --loupe-z. Sizes are in rem and everything wraps, for 320 px and 200 % zoom.
 * Accept all and Reject all share one class: equal prominence is not left to a theme.
 */
export const BANNER_CSS = `.lc-root{--loupe-bg:#fff;--loupe-fg:#1b1b1b;--loupe-accent:#1d4ed8;--loupe-accent-fg:#fff;--loupe-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--loupe-radius:.5rem;--loupe-backdrop:rgba(0,0,0,.5);--loupe-z:2147483000;font:1rem/1.5 var(--loupe-font);color:var(--loupe-fg)}
.lc-root [hidden]{display:none!important}
.lc-backdrop{position:fixed;inset:0;background:var(--loupe-backdrop);z-index:var(--loupe-z)}
.lc-dialog{position:fixed;left:0;right:0;bottom:1rem;margin:0 auto;box-sizing:border-box;width:calc(100% - 2rem);max-width:40rem;max-height:calc(100% - 2rem);overflow:auto;padding:1.25rem;background:var(--loupe-bg);color:var(--loupe-fg);border-radius:var(--loupe-radius);box-shadow:0 .5rem 2rem rgba(0,0,0,.3);z-index:calc(var(--loupe-z) + 1)}
.lc-dialog:focus{outline:none}
.lc-dialog h2{margin:0 2.5rem .5rem 0;font-size:1.25rem;line-height:1.3}
.lc-dialog p{margin:0 0 1rem}
.lc-dialog a{color:var(--loupe-accent);text-decoration:underline}
.lc-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0 .5rem}
.lc-btn{flex:1 1 9rem;min-height:2.75rem;padding:.5rem 1rem;border:2px solid var(--loupe-accent);border-radius:var(--loupe-radius);background:var(--loupe-accent);color:var(--loupe-accent-fg);font:inherit;font-weight:600;cursor:pointer}
.lc-link{min-height:2.75rem;padding:.5rem 0;border:0;background:none;color:var(--loupe-accent);font:inherit;text-decoration:underline;cursor:pointer}
.lc-close{position:absolute;top:.75rem;right:.75rem;min-width:2.75rem;min-height:2.75rem;border:0;border-radius:var(--loupe-radius);background:none;color:var(--loupe-fg);font:inherit;font-size:1.5rem;line-height:1;cursor:pointer}
.lc-categories{list-style:none;margin:0;padding:0}
.lc-categories li{display:grid;grid-template-columns:auto 1fr;gap:0 .75rem;align-items:center;padding:.75rem 0;border-top:1px solid rgba(0,0,0,.15)}
.lc-categories input{width:1.5rem;height:1.5rem;margin:0;accent-color:var(--loupe-accent)}
.lc-categories label{font-weight:600}
.lc-categories p{grid-column:2;margin:0;font-size:.9375rem}
.lc-settings{position:fixed;left:1rem;bottom:1rem;min-height:2.75rem;padding:.5rem 1rem;border:2px solid var(--loupe-fg);border-radius:var(--loupe-radius);background:var(--loupe-bg);color:var(--loupe-fg);font:inherit;font-size:.875rem;cursor:pointer;z-index:var(--loupe-z)}
.lc-root button:focus-visible,.lc-root input:focus-visible,.lc-root a:focus-visible{outline:3px solid var(--loupe-fg);outline-offset:2px;box-shadow:0 0 0 5px var(--loupe-bg)}
@media (prefers-color-scheme:dark){.lc-root{--loupe-bg:#1b1b1b;--loupe-fg:#f5f5f5;--loupe-accent:#93b4ff;--loupe-accent-fg:#0b0b0b}.lc-categories li{border-top-color:rgba(255,255,255,.2)}}
@media (forced-colors:active){.lc-btn,.lc-settings{border-color:ButtonText}}`;
