import { AUTO_EVENTS } from '@loupe/schema';
import { maskUrl } from '../../core/mask.js';
import type { Plugin } from '../../core/types.js';
import { elementText } from './element-text.js';
import { selectorFor } from './selector.js';
import { listen } from './listen.js';

const ACTIONABLE =
  'a,button,[role=button],[role=link],[role=tab],[role=menuitem],input[type=submit],input[type=button],summary,[data-loupe-cart]';

/** `Element Clicked` for clicks on links, buttons and the like; `data-loupe-ignore` opts an element (and its subtree) out. */
export const clicks: Plugin = (host) =>
  listen(document, 'click', ({ target }) => {
    if (!(target instanceof Element) || target.closest('[data-loupe-ignore]')) return;
    const element = target.closest(ACTIONABLE) ?? target;
    const href = (element as HTMLAnchorElement).href;
    host.track(AUTO_EVENTS.elementClicked, {
      selector: selectorFor(element),
      tag: element.localName,
      text: elementText(element),
      // Left out when absent (the event's JSON snapshot drops undefined); an SVG link's href is no string.
      href: typeof href === 'string' && href ? maskUrl(href) : undefined,
      id: element.id || undefined,
    });
  });
