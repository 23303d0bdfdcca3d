import { AUTO_EVENTS } from '@loupe/schema';
import type { Plugin } from '../../core/types.js';
import { listen } from './listen.js';

/** `Page Engagement` {activeMs}: time the page was visible, sent when it is hidden or left. */
export const engagement: Plugin = (host) => {
  const visible = () => document.visibilityState === 'visible';
  // When the page last became visible; 0 while hidden or once reported.
  let since = visible() ? Date.now() : 0;
  const report = () => {
    const activeMs = since && Date.now() - since;
    since = 0;
    if (activeMs > 0) host.track(AUTO_EVENTS.pageEngagement, { activeMs });
  };
  const stops = [
    listen(document, 'visibilitychange', () => {
      if (visible()) since ||= Date.now();
    }),
    host.onHide(report),
    host.onLeave(report),
  ];
  return () => {
    for (const stop of stops) stop();
  };
};
