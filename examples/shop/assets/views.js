/*
 * Fernhill's pages: each view returns its title and HTML, with `after` (wire up the DOM) and
 * `track` (Loupe calls, made after the tracker's own page view). Cart buttons carry
 * data-loupe-cart and sections data-loupe-view: that markup is all Loupe needs.
 */
(function (root) {
  'use strict';

  /** The views over the page's `view` element; `loupe(method, ...args)` calls the tracker's public API. */
  root.ShopViews = function createViews(deps) {
    var catalog = root.ShopCatalog;
    var art = root.ShopArt;
    var cart = root.ShopCart;
    var view = deps.view;
    var loupe = deps.loupe;
    var money = deps.money;

    // ---- rendering helpers -----------------------------------------------------------------------

    function esc(text) {
      return String(text).replace(/[&<>"']/g, function (c) {
        return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
      });
    }
    function card(product) {
      return '<li class="card">' +
        '<a class="card-link" href="#/p/' + product.id + '">' + art.productArt(product, '') +
        '<span class="card-body"><span class="card-name">' + esc(product.name) + '</span>' +
        '<span class="card-price">' + money.format(product.price) + '</span></span></a></li>';
    }
    /** What loupe.js reads from a clicked data-loupe-cart element to build Product Added / Removed. */
    function productAttributes(product, quantity) {
      return 'data-product-id="' + product.id + '" data-sku="' + product.sku + '" data-name="' + esc(product.name) +
        '" data-price="' + product.price + '" data-quantity="' + quantity + '" data-currency="' + catalog.currency + '"';
    }
    function grid(products) {
      return '<ul class="grid" role="list">' + products.map(card).join('') + '</ul>';
    }
    function crumbs(items) {
      return '<nav class="crumbs" aria-label="Breadcrumb"><ol>' + items.map(function (item, i) {
        return '<li>' + (item.href && i < items.length - 1 ? '<a href="' + item.href + '">' + esc(item.label) + '</a>' : '<span aria-current="page">' + esc(item.label) + '</span>') + '</li>';
      }).join('') + '</ol></nav>';
    }


    // ---- views -----------------------------------------------------------------------------------

    var views = {
      home: function () {
        var featured = ['ember-mug', 'candle-trio', 'potted-monstera', 'linen-cushion', 'sage-teapot', 'herb-kit'].map(catalog.byId);
        return {
          title: 'Fernhill · goods for slow mornings',
          html:
            '<section class="hero" data-loupe-view="home-hero">' +
              '<div class="hero-text"><p class="eyebrow">New season, small batches</p>' +
              '<h1>Goods for slow mornings</h1>' +
              '<p>Stoneware, linen and green things, made by people we know. Browse around: this shop runs on Loupe, and the panel in the corner shows what it learns.</p>' +
              '<p class="hero-actions"><a class="button" href="#/c/kitchen">Shop the kitchen</a> <a class="button button--ghost" href="#/c/living">Living room</a></p></div>' +
              '<div class="hero-art">' + art.productArt(catalog.byId('sage-teapot'), 'A sage green teapot') + '</div>' +
            '</section>' +
            '<section aria-labelledby="cats-h" data-loupe-view="home-categories"><h2 id="cats-h" class="section-title">Shop by room</h2><ul class="cats" role="list">' +
              catalog.categories.map(function (c) {
                var lead = catalog.inCategory(c.slug)[0];
                return '<li><a class="cat" href="#/c/' + c.slug + '" style="--cat-tint:' + c.tint + '">' + art.productArt(lead, '') +
                  '<span class="cat-name">' + esc(c.name) + '</span><span class="cat-blurb">' + esc(c.blurb) + '</span></a></li>';
              }).join('') + '</ul></section>' +
            '<section aria-labelledby="feat-h" data-loupe-view="home-featured"><h2 id="feat-h" class="section-title">Customer favourites</h2>' + grid(featured) + '</section>',
        };
      },

      category: function (slug) {
        var c = catalog.category(slug);
        if (!c) return views.notFound();
        return {
          title: c.name + ' · Fernhill',
          html: crumbs([{ label: 'Home', href: '#/' }, { label: c.name }]) +
            '<header class="page-head"><h1>' + esc(c.name) + '</h1><p>' + esc(c.blurb) + '</p></header>' +
            '<section data-loupe-view="category-' + c.slug + '" aria-label="' + esc(c.name) + ' products">' + grid(catalog.inCategory(c.slug)) + '</section>',
        };
      },

      product: function (id) {
        var p = catalog.byId(id);
        if (!p) return views.notFound();
        var c = catalog.category(p.category);
        var related = catalog.inCategory(p.category).filter(function (q) { return q.id !== p.id; }).slice(0, 3);
        return {
          title: p.name + ' · Fernhill',
          track: function () {
            loupe('cart.view', cart.productFields(p, 1));
          },
          after: function () {
            var qty = view.querySelector('#qty');
            var add = view.querySelector('[data-loupe-cart="add"]');
            qty.addEventListener('input', function () {
              var n = Math.max(1, Math.min(9, parseInt(qty.value, 10) || 1));
              add.setAttribute('data-quantity', String(n));
            });
          },
          html: crumbs([{ label: 'Home', href: '#/' }, { label: c.name, href: '#/c/' + c.slug }, { label: p.name }]) +
            '<article class="product" data-loupe-view="product-detail">' +
              '<div class="product-art">' + art.productArt(p, p.name) + '</div>' +
              '<div class="product-info"><h1>' + esc(p.name) + '</h1>' +
                '<p class="price">' + money.format(p.price) + '</p>' +
                '<p>' + esc(p.description) + '</p>' +
                '<div class="buy"><label for="qty">Quantity</label>' +
                  '<input id="qty" type="number" inputmode="numeric" min="1" max="9" value="1">' +
                  '<button type="button" class="button" data-action="add" data-loupe-cart="add" ' + productAttributes(p, 1) + '>Add to cart</button></div>' +
                '<p class="status" role="status" aria-live="polite"></p>' +
                '<ul class="perks" role="list"><li>Ships in 2 working days</li><li>Free returns within 30 days</li><li>SKU ' + esc(p.sku) + '</li></ul>' +
              '</div>' +
            '</article>' +
            '<section aria-labelledby="rel-h" data-loupe-view="related"><h2 id="rel-h" class="section-title">You might also like</h2>' + grid(related) + '</section>',
        };
      },

      cart: function () {
        var lines = cart.lines();
        var subtotal = cart.subtotal();
        var shipping = cart.shippingFor(subtotal);
        var total = subtotal + shipping;
        if (lines.length === 0) {
          return {
            title: 'Your cart · Fernhill',
            html: '<header class="page-head"><h1>Your cart</h1></header><div class="empty" data-loupe-view="cart-empty"><p>Your cart is empty.</p><p><a class="button" href="#/">Keep shopping</a></p></div>',
          };
        }
        return {
          title: 'Your cart · Fernhill',
          track: function () {
            loupe('cart.view', {
              cart_id: cart.id(),
              currency: catalog.currency,
              value: subtotal,
              products: lines.map(function (l) { return cart.productFields(l.product, l.quantity); }),
            });
          },
          html: '<header class="page-head"><h1>Your cart</h1></header>' +
            '<div class="cart" data-loupe-view="cart">' +
              '<ul class="lines" role="list">' + lines.map(function (l) {
                return '<li class="line">' + art.productArt(l.product, '') +
                  '<div class="line-info"><a href="#/p/' + l.product.id + '">' + esc(l.product.name) + '</a><span class="muted">' + l.quantity + ' × ' + money.format(l.product.price) + '</span></div>' +
                  '<span class="line-total">' + money.format(l.product.price * l.quantity) + '</span>' +
                  '<button type="button" class="link-button" data-action="remove" data-loupe-cart="remove" ' + productAttributes(l.product, l.quantity) + ' aria-label="Remove ' + esc(l.product.name) + '">Remove</button></li>';
              }).join('') + '</ul>' +
              '<aside class="summary" aria-label="Order summary"><dl>' +
                '<div><dt>Subtotal</dt><dd>' + money.format(subtotal) + '</dd></div>' +
                '<div><dt>Shipping</dt><dd>' + (shipping ? money.format(shipping) : 'Free') + '</dd></div>' +
                '<div class="total"><dt>Total</dt><dd>' + money.format(total) + '</dd></div></dl>' +
                (shipping ? '<p class="muted">Add ' + money.format(cart.FREE_SHIPPING_FROM - subtotal) + ' more for free shipping.</p>' : '') +
                '<a class="button button--wide" href="#/checkout" data-loupe-cart="checkout" data-price="' + total.toFixed(2) + '" data-quantity="' + cart.count() + '">Checkout</a>' +
              '</aside>' +
            '</div>',
        };
      },

      checkout: function () {
        var lines = cart.lines();
        if (lines.length === 0) { location.hash = '#/cart'; return null; }
        var subtotal = cart.subtotal();
        var total = subtotal + cart.shippingFor(subtotal);
        var field = function (id, label, type, autocomplete, extra) {
          return '<div class="field"><label for="' + id + '">' + label + '</label><input id="' + id + '" name="' + id + '" type="' + type + '" autocomplete="' + autocomplete + '" required ' + (extra || '') + '></div>';
        };
        return {
          title: 'Checkout · Fernhill',
          after: function () {
            view.querySelector('form').addEventListener('submit', function (event) {
              event.preventDefault();
              placeOrder();
            });
          },
          html: crumbs([{ label: 'Cart', href: '#/cart' }, { label: 'Checkout' }]) +
            '<header class="page-head"><h1>Checkout</h1><p>A demo: no payment is taken and nothing you type here leaves this page. Loupe never reads form fields.</p></header>' +
            '<form class="checkout" data-loupe-view="checkout-form" novalidate>' +
              '<fieldset><legend>Delivery</legend>' +
                field('name', 'Full name', 'text', 'name') + field('email', 'Email', 'email', 'email') +
                field('address', 'Address', 'text', 'street-address') +
                '<div class="field-row">' + field('city', 'City', 'text', 'address-level2') + field('postcode', 'Postcode', 'text', 'postal-code') + '</div>' +
              '</fieldset>' +
              '<fieldset><legend>Payment</legend>' + field('card', 'Card number (any digits)', 'text', 'cc-number', 'inputmode="numeric"') + '</fieldset>' +
              '<p class="checkout-total">Total to pay: <strong>' + money.format(total) + '</strong></p>' +
              '<button class="button button--wide" type="submit">Place order</button>' +
            '</form>',
        };
      },

      order: function (id) {
        var order = cart.lastOrder();
        if (!order || order.order_id !== id) return views.notFound();
        return {
          title: 'Thank you · Fernhill',
          html: '<section class="thanks" data-loupe-view="order-confirmation"><span class="thanks-icon" aria-hidden="true">✓</span>' +
            '<h1>Thank you for your order</h1><p>Order <strong>' + esc(order.order_id) + '</strong>, ' + money.format(order.revenue) + '. A confirmation would be on its way, if this were a real shop.</p>' +
            '<ul class="lines" role="list">' + order.products.map(function (p) {
              return '<li class="line">' + art.productArt(catalog.byId(p.product_id), '') + '<div class="line-info"><span>' + esc(p.name) + '</span><span class="muted">' + p.quantity + ' × ' + money.format(p.price) + '</span></div></li>';
            }).join('') + '</ul><p><a class="button" href="#/">Back to the shop</a></p></section>',
        };
      },

      privacy: function () {
        return {
          title: 'Privacy · Fernhill',
          after: function () {
            view.querySelector('[data-action="withdraw"]').addEventListener('click', function () {
              loupe('consent.revoke');
              view.querySelector('.status').textContent = 'Consent withdrawn: Loupe stopped and deleted what it kept in this browser.';
            });
          },
          html: '<header class="page-head"><h1>Privacy</h1></header><div class="prose">' +
            '<p>This shop measures how it is used with <strong>Loupe</strong>, which runs on the shop\'s own server: no third party receives anything.</p>' +
            '<p>With your consent to <em>analytics</em>, Loupe records the pages you view, clicks, scroll depth and cart actions under a random identifier, never what you type into forms. With your consent to <em>personalisation</em>, the shop adapts its offers to your browsing. Without consent, nothing is stored in your browser and nothing is sent.</p>' +
            '<p>Your cart is kept in this tab only (session storage) because you asked for it; Loupe does not read it.</p>' +
            '<p class="hero-actions"><button type="button" class="button" data-loupe-consent-open>Privacy settings</button> ' +
            '<button type="button" class="button button--ghost" data-action="withdraw">Withdraw consent</button></p>' +
            '<p class="status" role="status" aria-live="polite"></p></div>',
        };
      },

      notFound: function () {
        return { title: 'Not found · Fernhill', html: '<header class="page-head"><h1>Nothing here</h1><p>That page does not exist. <a href="#/">Back to the shop</a>.</p></header>' };
      },
    };

    function placeOrder() {
      var form = view.querySelector('form');
      var invalid = Array.prototype.filter.call(form.elements, function (el) { return el.willValidate && !el.checkValidity(); });
      form.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
      if (invalid.length) {
        invalid.forEach(function (el) { el.setAttribute('aria-invalid', 'true'); });
        invalid[0].focus();
        return;
      }
      var lines = cart.lines();
      var subtotal = cart.subtotal();
      var order = {
        order_id: 'FH-' + Date.now().toString(36).toUpperCase().slice(-6),
        cart_id: cart.id(),
        revenue: Math.round((subtotal + cart.shippingFor(subtotal)) * 100) / 100,
        shipping: cart.shippingFor(subtotal),
        currency: catalog.currency,
        products: lines.map(function (l) { return cart.productFields(l.product, l.quantity); }),
      };
      loupe('cart.purchase', order);
      cart.saveOrder(order);
      cart.clear();
      location.hash = '#/order/' + order.order_id;
    }

    return views;
  };
})(window);
