/*
 * The shop's cart: its own, strictly necessary state (the visitor asked for it), kept in
 * sessionStorage for this tab's life only. Loupe never reads it.
 */
(function (root) {
  'use strict';
  var catalog = root.ShopCatalog;
  var CART_KEY = 'fernhill.cart';
  var ORDER_KEY = 'fernhill.lastOrder';
  var SHIPPING = 4.9;
  var FREE_SHIPPING_FROM = 60;
  var listeners = [];

  function readSession(key, fallback) {
    try {
      var raw = root.sessionStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function writeSession(key, value) {
    try {
      root.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Storage blocked: the cart lives in memory for this page.
    }
  }

  var state = readSession(CART_KEY, null) || { id: null, lines: [] };

  function save() {
    if (!state.id) state.id = 'cart-' + Math.random().toString(36).slice(2, 10);
    writeSession(CART_KEY, state);
    listeners.forEach(function (listener) { listener(); });
  }
  function lines() {
    return state.lines
      .map(function (line) { return { product: catalog.byId(line.id), quantity: line.quantity }; })
      .filter(function (line) { return line.product; });
  }

  root.ShopCart = {
    FREE_SHIPPING_FROM: FREE_SHIPPING_FROM,
    id: function () { return state.id; },
    lines: lines,
    count: function () {
      return lines().reduce(function (n, line) { return n + line.quantity; }, 0);
    },
    subtotal: function () {
      return lines().reduce(function (sum, line) { return sum + line.product.price * line.quantity; }, 0);
    },
    shippingFor: function (subtotal) {
      return subtotal === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    },
    add: function (id, quantity) {
      for (var i = 0; i < state.lines.length; i++) {
        if (state.lines[i].id === id) {
          state.lines[i].quantity = Math.min(state.lines[i].quantity + quantity, 20);
          return save();
        }
      }
      state.lines.push({ id: id, quantity: quantity });
      save();
    },
    remove: function (id) {
      state.lines = state.lines.filter(function (line) { return line.id !== id; });
      save();
    },
    clear: function () {
      state = { id: null, lines: [] };
      save();
    },
    /** Segment e-commerce v2 product fields, for loupe.cart.* calls. */
    productFields: function (product, quantity) {
      return { product_id: product.id, sku: product.sku, name: product.name, price: product.price, quantity: quantity, currency: catalog.currency, category: product.category };
    },
    saveOrder: function (order) { writeSession(ORDER_KEY, order); },
    lastOrder: function () { return readSession(ORDER_KEY, null); },
    onChange: function (listener) { listeners.push(listener); },
  };
})(window);
