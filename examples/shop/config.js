/*
 * Where the shop's Loupe collector is, and which write key the shop uses.
 *
 * Served by `loupe demo`, the collector is this same origin and the demo key is fixed: nothing to do.
 * Served by any other static server, point it at your collector by editing `collector` and
 * `writeKey` below, or, for a collector on this machine, by adding
 * `?collector=http://localhost:3000&key=wk_…` to the shop's URL. The write key must allow the
 * shop's origin: `loupe keys create --origin http://localhost:8080`.
 */
window.SHOP_LOUPE = (function () {
  'use strict';
  var config = {
    /** The collector's base URL; '' means this page's own origin. */
    collector: '',
    writeKey: 'wk_demo_local',
  };

  // The URL may only name a collector on this machine: a link must not be able to make the shop
  // load a script from anywhere else.
  var LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
  var query = new URLSearchParams(window.location.search);
  var collector = (query.get('collector') || '').replace(/\/+$/, '');
  if (LOOPBACK.test(collector)) config.collector = collector;
  var key = query.get('key');
  if (key && /^[\w-]{1,100}$/.test(key)) config.writeKey = key;
  return config;
})();
