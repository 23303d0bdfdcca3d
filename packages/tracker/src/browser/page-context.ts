import type { EventContext } from '@loupe/schema';
import { maskUrl } from '../core/mask.js';
import { parseCampaign } from './campaign.js';

/**
 * The context of an event captured now. What cannot change during a page's life is read once; the
 * page part again only when the URL or title changed (masking runs regular expressions: not per
 * event), its referrer becoming the previous URL after an SPA navigation.
 */
export function createPageContext(): () => EventContext {
  let fixed: EventContext | undefined;
  let url: string | undefined;
  let key: string | undefined;
  let page: EventContext = {};
  let referrer = document.referrer;

  return () => {
    fixed ??= {
      userAgent: navigator.userAgent,
      locale: navigator.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: window.screen.width, height: window.screen.height, density: window.devicePixelRatio },
    };
    const { href, pathname, search } = window.location;
    if (key !== href + document.title) {
      key = href + document.title;
      if (url !== undefined && href !== url) referrer = url;
      url = href;
      const campaign = parseCampaign(search);
      page = {
        page: {
          url: maskUrl(href),
          path: pathname,
          referrer: maskUrl(referrer),
          title: document.title,
          search: maskUrl(search),
        },
        ...(campaign ? { campaign } : {}),
      };
    }
    return { ...fixed, ...page };
  };
}
