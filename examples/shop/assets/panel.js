/*
 * "See it work": a panel that shows what Loupe knows about this visitor, live, through the
 * tracker's public API only: consent.get(), anonymousId(), segment()/onSegment(), stats() and
 * onDelivered() (the events the collector acknowledged). Open it with the button in the corner,
 * or with ?panel=open in the URL.
 */
(function () {
  'use strict';
  var MAX_EVENTS = 8;
  var delivered = [];
  var hooked = null;
  var timer = null;

  var toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'panel-toggle';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'loupe-panel');
  toggle.setAttribute('data-loupe-ignore', '');
  toggle.innerHTML = '<span class="pulse" aria-hidden="true"></span> See it work';

  var panel = document.createElement('section');
  panel.id = 'loupe-panel';
  panel.className = 'panel';
  panel.hidden = true;
  panel.setAttribute('aria-label', 'Loupe, live');
  panel.setAttribute('data-loupe-ignore', '');
  panel.innerHTML =
    '<header class="panel-head"><h2>Loupe, live</h2><button type="button" class="panel-close" aria-label="Close the panel">×</button></header>' +
    '<dl class="panel-facts">' +
      '<div><dt>Consent</dt><dd data-field="consent">…</dd></div>' +
      '<div><dt>Anonymous id</dt><dd data-field="anonymousId">…</dd></div>' +
      '<div><dt>Segment</dt><dd data-field="segment">…</dd></div>' +
      '<div><dt>Delivery</dt><dd data-field="stats">…</dd></div>' +
    '</dl>' +
    '<h3>Last events sent</h3><ol class="panel-events" data-field="events" aria-live="off"></ol>' +
    '<p class="panel-actions"><button type="button" class="button button--small" data-loupe-consent-open>Privacy settings</button> ' +
    '<button type="button" class="button button--small button--ghost" data-action="flush">Send now</button></p>';

  document.body.appendChild(toggle);
  document.body.appendChild(panel);

  function api() {
    var l = window.loupe;
    return l && !Array.isArray(l) && typeof l.anonymousId === 'function' ? l : null;
  }
  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function time(iso) {
    var d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function label(event) {
    var p = event.properties || {};
    if (event.type === 'track') {
      var detail = p.product_id || (p.depth && p.depth + '%') || p.name || (p.text && '“' + p.text + '”') || '';
      return event.event + (detail ? ' · ' + detail : '');
    }
    if (event.type === 'page') {
      var url = (event.context && event.context.page && event.context.page.url) || p.url || '';
      var hash = url.indexOf('#') >= 0 ? url.slice(url.indexOf('#')) : (p.path || '/');
      return hash;
    }
    return event.name || event.userId || '';
  }

  function hook(loupe) {
    if (hooked === loupe) return;
    hooked = loupe;
    if (typeof loupe.onDelivered === 'function') {
      loupe.onDelivered(function (events) {
        for (var i = 0; i < events.length; i++) delivered.unshift(events[i]);
        delivered.length = Math.min(delivered.length, MAX_EVENTS);
        if (!panel.hidden) update();
      });
    }
    if (typeof loupe.onSegment === 'function') loupe.onSegment(function () { if (!panel.hidden) update(); });
    if (loupe.consent && typeof loupe.consent.onChange === 'function') {
      loupe.consent.onChange(function () {
        delivered = [];
        if (!panel.hidden) update();
      });
    }
  }

  function update() {
    var loupe = api();
    if (!loupe) {
      field('consent').textContent = 'loupe.js has not loaded (blocked, or the collector is unreachable).';
      ['anonymousId', 'segment', 'stats'].forEach(function (f) { field(f).textContent = '—'; });
      field('events').innerHTML = '';
      return;
    }
    hook(loupe);
    var state = loupe.consent.get();
    var cats = state.categories || {};
    field('consent').innerHTML = ['analytics', 'personalization', 'marketing'].map(function (c) {
      return '<span class="chip ' + (cats[c] ? 'chip--on' : 'chip--off') + '">' + (cats[c] ? '✓ ' : '✕ ') + c + '</span>';
    }).join(' ') + '<span class="muted">' + (state.decided ? 'your choice' : 'waiting for your choice: nothing is sent') + '</span>';

    var id = loupe.anonymousId();
    field('anonymousId').innerHTML = '<code>' + esc(id || '—') + '</code>' + (cats.analytics ? '' : '<span class="muted">in memory only, not stored</span>');

    var segment = loupe.segment();
    field('segment').innerHTML = segment
      ? '<strong>' + esc(segment.name) + '</strong> <code>' + esc(segment.id) + '</code>'
      : '<span class="muted">' + (cats.personalization ? 'none yet: browse a little, the collector assigns one within seconds' : 'none: personalisation is off') + '</span>';

    var s = typeof loupe.stats === 'function' ? loupe.stats() : null;
    field('stats').textContent = s
      ? s.delivered + ' delivered' + (s.retries ? ' · ' + s.retries + ' retries' : '') + (s.droppedNoConsent ? ' · ' + s.droppedNoConsent + ' held back (no consent)' : '')
      : '—';

    field('events').innerHTML = delivered.length
      ? delivered.map(function (e) {
          return '<li><time>' + time(e.timestamp) + '</time> <span class="ev-type ev-' + esc(e.type) + '">' + esc(e.type) + '</span> <span class="ev-label">' + esc(label(e)) + '</span></li>';
        }).join('')
      : '<li class="muted">' + (typeof loupe.onDelivered === 'function' ? (cats.analytics ? 'Nothing delivered from this page yet.' : 'Nothing: no analytics consent.') : 'This tracker build has no onDelivered hook.') + '</li>';
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.classList.toggle('is-open', open);
    if (timer) clearInterval(timer);
    timer = null;
    if (open) {
      update();
      // Consent, ids and counters have no change events of their own: a light poll while open.
      timer = setInterval(update, 750);
    }
  }

  toggle.addEventListener('click', function () { setOpen(panel.hidden); });
  panel.querySelector('.panel-close').addEventListener('click', function () {
    setOpen(false);
    toggle.focus();
  });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      setOpen(false);
      toggle.focus();
    }
  });
  panel.querySelector('[data-action="flush"]').addEventListener('click', function () {
    var loupe = api();
    if (loupe) loupe.flush();
  });

  // Hook early so events delivered before the panel is opened are listed too.
  var waited = 0;
  (function waitForLoupe() {
    var loupe = api();
    if (loupe) return hook(loupe);
    if ((waited += 1) < 100) setTimeout(waitForLoupe, 100);
  })();

  if (/(^|[?&])panel=open(&|$)/.test(location.search)) setOpen(true);
})();
