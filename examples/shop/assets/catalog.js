/*
 * The shop's catalogue: plain data, no build step. Prices in euros; `art` picks a drawing from art.js
 * and `tint`/`accent` colour it, so every product image is a few hundred bytes of SVG.
 */
(function (root) {
  'use strict';

  var categories = [
    { slug: 'kitchen', name: 'Kitchen', blurb: 'Stoneware and brass for slow mornings.', tint: '#f3e2d3' },
    { slug: 'living', name: 'Living', blurb: 'Soft things, warm light.', tint: '#e4e7f4' },
    { slug: 'garden', name: 'Garden', blurb: 'For balconies, sills and small plots.', tint: '#dfeedd' },
  ];

  var products = [
    { id: 'ember-mug', sku: 'FH-KIT-001', name: 'Ember mug', category: 'kitchen', price: 18, art: 'mug', tint: '#c8643b', accent: '#f1c9a8',
      description: 'A hand-thrown 350 ml mug in a glaze that pools darker at the rim. Dishwasher safe, kiln-fired twice.' },
    { id: 'sage-teapot', sku: 'FH-KIT-002', name: 'Sage teapot', category: 'kitchen', price: 54, art: 'teapot', tint: '#7d9a7a', accent: '#dfe8d8',
      description: 'One litre, with a steel infuser and a lid that stays put when you pour the last cup.' },
    { id: 'nesting-bowls', sku: 'FH-KIT-003', name: 'Nesting bowls', category: 'kitchen', price: 36, art: 'bowls', tint: '#3f6fa3', accent: '#f4efe6',
      description: 'Three bowls that stack into the footprint of one: cereal, salad and the small one for everything else.' },
    { id: 'brass-kettle', sku: 'FH-KIT-004', name: 'Pour-over kettle', category: 'kitchen', price: 68, art: 'kettle', tint: '#c79a3b', accent: '#f5e7c4',
      description: 'A gooseneck spout for a slow, steady pour. Works on gas, electric and induction.' },
    { id: 'candle-trio', sku: 'FH-LIV-001', name: 'Beeswax candle trio', category: 'living', price: 24, art: 'candles', tint: '#e0b44c', accent: '#fff3d1',
      description: 'Three pillar candles poured from local beeswax. About 40 hours of honey-scented light each.' },
    { id: 'linen-cushion', sku: 'FH-LIV-002', name: 'Linen cushion', category: 'living', price: 42, art: 'cushion', tint: '#8b7bb8', accent: '#e9e4f5',
      description: 'Stonewashed European linen over a feather insert, 50 × 50 cm. The cover zips off for the wash.' },
    { id: 'bud-vase', sku: 'FH-LIV-003', name: 'Bud vase', category: 'living', price: 22, art: 'vase', tint: '#2f8f8a', accent: '#d6efed',
      description: 'Just wide enough for one stem. Mouth-blown glass with a weighted base that keeps it upright.' },
    { id: 'wool-throw', sku: 'FH-LIV-004', name: 'Wool throw', category: 'living', price: 89, art: 'throw', tint: '#b5533f', accent: '#f2d6cd',
      description: 'Lambswool woven in a wide herringbone, 130 × 180 cm, finished with a hand-knotted fringe.' },
    { id: 'potted-monstera', sku: 'FH-GAR-001', name: 'Potted monstera', category: 'garden', price: 46, art: 'plant', tint: '#3d7a4a', accent: '#e9d9c4',
      description: 'A young Monstera deliciosa in a terracotta pot. Bright, indirect light; water when the top inch is dry.' },
    { id: 'watering-can', sku: 'FH-GAR-002', name: 'Brass watering can', category: 'garden', price: 58, art: 'can', tint: '#b8893a', accent: '#f3e6c9',
      description: 'Two litres, with a long spout that reaches the back of the shelf without drowning the front row.' },
    { id: 'herb-kit', sku: 'FH-GAR-003', name: 'Kitchen herb kit', category: 'garden', price: 16, art: 'seeds', tint: '#6c9a3c', accent: '#eef4df',
      description: 'Basil, chives, parsley and thyme: four seed packets, four biodegradable pots and a bag of peat-free compost.' },
  ];

  function byId(id) {
    for (var i = 0; i < products.length; i++) if (products[i].id === id) return products[i];
    return null;
  }
  function category(slug) {
    for (var i = 0; i < categories.length; i++) if (categories[i].slug === slug) return categories[i];
    return null;
  }
  function inCategory(slug) {
    return products.filter(function (p) { return p.category === slug; });
  }

  root.ShopCatalog = { currency: 'EUR', categories: categories, products: products, byId: byId, category: category, inCategory: inCategory };
})(window);
