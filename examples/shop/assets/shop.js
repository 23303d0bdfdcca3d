/*
 * Fernhill's glue: the hash router, the clicks the shop handles itself, and the one way it talks
 * to Loupe, the public API through the snippet's queue. The cart is in cart.js, the pages in
 * views.js; nothing here knows how Loupe works inside.
 */
(function () {
  'use strict';
  var catalog = window.ShopCatalog;
  var view = document.getElementById('view');
  var money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: catalog.currency });
  var cart = window.ShopCart;

  // ---- Loupe, through its public API only ---------------------------------------------------

  /**
   * Calls `loupe.<method>(...args)` once loupe.js is there, and queues `[method, ...args]` on the
   * snippet's array before that (the tracker replays the queue in order when it loads).
   */
  function loupe(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    var api = window.loupe;
    try {
      if (!api || Array.isArray(api)) {
        (window.loupe = api || []).push([method].concat(args));
        return;
      }
      var path = method.split('.');
      var owner = api;
      for (var i = 0; i < path.length - 1; i++) owner = owner[path[i]];
      owner[path[path.length - 1]].apply(owner, args);
    } catch (error) {
      // Analytics must never break the shop.
      if (window.console) console.warn('loupe call failed', method, error);
    }
  }

  function renderCartBadge() {
    var count = cart.count();
    document.querySelectorAll('[data-cart-count]').forEach(function (el) {
      el.textContent = String(count);
      el.setAttribute('aria-label', count === 1 ? '1 item in cart' : count + ' items in cart');
    });
    document.querySelectorAll('[data-cart-summary]').forEach(function (el) {
      // The cart lives in this tab only; in a new tab the reminder speaks more generally.
      if (count) el.textContent = (count === 1 ? '1 item' : count + ' items') + ' (' + money.format(cart.subtotal()) + ') still in your cart.';
    });
  }

  // ---- clicks the shop handles (Loupe sees the same clicks through data-loupe-cart) ----------------

  view.addEventListener('click', function (event) {
    var target = event.target.closest && event.target.closest('[data-action]');
    if (!target) return;
    var id = target.getAttribute('data-product-id');
    if (target.getAttribute('data-action') === 'add') {
      var quantity = parseInt(target.getAttribute('data-quantity'), 10) || 1;
      cart.add(id, quantity);
      var status = view.querySelector('.status');
      if (status) status.innerHTML = 'Added to your cart. <a href="#/cart">View cart</a>';
    } else if (target.getAttribute('data-action') === 'remove') {
      cart.remove(id);
      // Re-rendered after the click has finished bubbling, so every listener sees the button in place.
      setTimeout(render, 0);
    }
  });

  // loupe-consent.js opens its preferences on a click on [data-loupe-consent-open]; without the
  // banner (blocked, or a collector without it) those buttons lead to the privacy page instead.
  document.addEventListener('click', function (event) {
    if (!event.target.closest || !event.target.closest('[data-loupe-consent-open]')) return;
    if (!window.loupeConsentUI && location.hash !== '#/privacy') location.hash = '#/privacy';
  });

  var views = window.ShopViews({ view: view, loupe: loupe, money: money });
  cart.onChange(renderCartBadge);

  // ---- router ------------------------------------------------------------------------------------

  function route() {
    var hash = location.hash;
    // Hashes that are not routes (the skip link's #view) leave the page as it is.
    if (hash && hash.indexOf('#/') !== 0) return null;
    var parts = hash.slice(2).split('/').map(decodeURIComponent);
    switch (parts[0]) {
      case '': case undefined: return views.home();
      case 'c': return views.category(parts[1]);
      case 'p': return views.product(parts[1]);
      case 'cart': return views.cart();
      case 'checkout': return views.checkout();
      case 'order': return views.order(parts[1]);
      case 'privacy': return views.privacy();
      default: return views.notFound();
    }
  }

  var rendered = false;
  function render() {
    var page = route();
    if (!page) return;
    document.title = page.title;
    view.innerHTML = page.html;
    document.querySelectorAll('.main-nav a').forEach(function (a) {
      if (location.hash.indexOf(a.getAttribute('href')) === 0) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    renderCartBadge();
    if (page.after) page.after();
    // After the tracker's own page view for this navigation (its hashchange listener may run after ours).
    if (page.track) setTimeout(page.track, 0);
    if (rendered) {
      window.scrollTo(0, 0);
      var heading = view.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
      }
    }
    rendered = true;
  }

  // loupe.js takes over the segment content once it runs; if it is blocked, the default offer shows.
  (function watchLoupe(started) {
    var root = document.documentElement;
    var api = window.loupe;
    if (api && !Array.isArray(api)) return root.classList.remove('loupe-pending');
    if (Date.now() - started > 3000) {
      root.classList.remove('loupe-pending');
      return root.classList.add('loupe-missing');
    }
    setTimeout(function () { watchLoupe(started); }, 50);
  })(Date.now());

  window.addEventListener('hashchange', render);
  render();
})();
