import type { EventContext } from '@loupe/schema';
import { maskUrl } from '../core/mask.js';
import { parseCampaign } from './campaign.js';

/**
 * The context of an event captured now. What cannot change during a page's life is read once; the
 * page part again only when the URL or title changed (masking runs regular expressions: not per
 * event), its referrer becoming the previous URL after an SPA navigation.
 */
export function createPageContext(): () => EventContext {
  const { screen } = window;
  const fixed: EventContext = {
    userAgent: navigator.userAgent,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: { width: screen.width, height: screen.height, density: window.devicePixelRatio },
  };
  let url: string | undefined;
  let key: string | undefined;
  let page: EventContext;
  let referrer = document.referrer;

  return () => {
    const { href, pathname: path, search } = window.location;
    const { title } = document;
    if (key !== href + title) {
      key = href + title;
      if (url && href !== url) referrer = url;
      url = href;
      const campaign = parseCampaign(search);
      page = {
        page: { url: maskUrl(href), path, referrer: maskUrl(referrer), title, search: maskUrl(search) },
        ...(campaign && { campaign }),
      };
    }
    return { ...fixed, ...page };
  };
}
