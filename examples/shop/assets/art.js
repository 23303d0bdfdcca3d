/*
 * Product drawings as inline SVG (no image downloads): one small function per kind of object,
 * coloured by the product's `tint` (the object) and `accent` (the backdrop).
 */
(function (root) {
  'use strict';

  // Darker and lighter shades of a hex colour, for shading without a palette per product.
  function shade(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var mix = function (c) {
      var target = amount < 0 ? 0 : 255;
      return Math.round(c + (target - c) * Math.abs(amount));
    };
    var r = mix(n >> 16), g = mix((n >> 8) & 255), b = mix(n & 255);
    return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  var drawings = {
    mug: function (t) {
      return '<path d="M150 96c26 0 30 44 2 50" fill="none" stroke="' + shade(t, -0.25) + '" stroke-width="12" stroke-linecap="round"/>' +
        '<path d="M70 80h84v78c0 14-11 24-24 24H94c-13 0-24-10-24-24z" fill="' + t + '"/>' +
        '<path d="M70 80h84v18H70z" fill="' + shade(t, -0.3) + '" opacity=".55"/>' +
        '<ellipse cx="112" cy="80" rx="42" ry="8" fill="' + shade(t, -0.45) + '"/>' +
        '<path d="M84 104v50" stroke="' + shade(t, 0.35) + '" stroke-width="6" stroke-linecap="round" opacity=".5"/>' +
        '<path d="M100 62c-6-8 6-14 0-22M122 62c-6-8 6-14 0-22" fill="none" stroke="' + shade(t, 0.55) + '" stroke-width="4" stroke-linecap="round"/>';
    },
    teapot: function (t) {
      return '<path d="M62 112c-22-6-30-30-16-32 10-1 18 12 26 22" fill="none" stroke="' + shade(t, -0.2) + '" stroke-width="9" stroke-linecap="round"/>' +
        '<path d="M170 118c18-6 22-26 10-30" fill="none" stroke="' + shade(t, -0.2) + '" stroke-width="10" stroke-linecap="round"/>' +
        '<ellipse cx="116" cy="130" rx="56" ry="46" fill="' + t + '"/>' +
        '<path d="M64 136h104" stroke="' + shade(t, -0.25) + '" stroke-width="5" opacity=".6"/>' +
        '<ellipse cx="116" cy="88" rx="30" ry="8" fill="' + shade(t, -0.3) + '"/>' +
        '<circle cx="116" cy="76" r="8" fill="' + shade(t, -0.35) + '"/>' +
        '<path d="M86 112c6-12 18-18 30-18" fill="none" stroke="' + shade(t, 0.45) + '" stroke-width="6" stroke-linecap="round" opacity=".6"/>';
    },
    bowls: function (t) {
      // Three bowls nested inside each other: every rim's far side first, then the bodies from the
      // innermost out, so each bowl's front hides the lower part of the one inside it.
      var rim = function (cy, rx, fill) {
        return '<ellipse cx="120" cy="' + cy + '" rx="' + rx + '" ry="' + rx / 5.5 + '" fill="' + shade(fill, -0.35) + '"/>';
      };
      var body = function (cy, rx, depth, fill) {
        return '<path d="M' + (120 - rx) + ' ' + cy + 'A' + rx + ' ' + rx / 5.5 + ' 0 0 0 ' + (120 + rx) + ' ' + cy +
          'C' + (120 + rx) + ' ' + (cy + depth * 0.7) + ' ' + (120 + rx * 0.45) + ' ' + (cy + depth) + ' 120 ' + (cy + depth) +
          'S' + (120 - rx) + ' ' + (cy + depth * 0.7) + ' ' + (120 - rx) + ' ' + cy + 'z" fill="' + fill + '"/>';
      };
      var small = shade(t, 0.6), middle = shade(t, 0.3);
      return rim(118, 76, t) + rim(100, 54, middle) + rim(84, 36, small) +
        body(84, 36, 40, small) + body(100, 54, 52, middle) + body(118, 76, 62, t) +
        '<path d="M64 134c8 16 22 28 42 32" fill="none" stroke="' + shade(t, 0.5) + '" stroke-width="5" stroke-linecap="round" opacity=".5"/>';
    },
    kettle: function (t) {
      return '<path d="M80 100c-10-40 90-40 80 0" fill="none" stroke="' + shade(t, -0.35) + '" stroke-width="9" stroke-linecap="round"/>' +
        '<path d="M150 140c20-2 30-22 40-48" fill="none" stroke="' + t + '" stroke-width="9" stroke-linecap="round"/>' +
        '<path d="M72 108h96l8 62c1 8-5 12-12 12H76c-7 0-13-4-12-12z" fill="' + t + '"/>' +
        '<ellipse cx="120" cy="108" rx="48" ry="8" fill="' + shade(t, -0.3) + '"/>' +
        '<path d="M86 124v40" stroke="' + shade(t, 0.55) + '" stroke-width="7" stroke-linecap="round" opacity=".6"/>';
    },
    candles: function (t) {
      var one = function (x, h, w) {
        var y = 180 - h;
        return '<rect x="' + (x - w / 2) + '" y="' + y + '" width="' + w + '" height="' + h + '" rx="6" fill="' + t + '"/>' +
          '<rect x="' + (x - w / 2) + '" y="' + y + '" width="' + w + '" height="10" rx="5" fill="' + shade(t, 0.35) + '"/>' +
          '<path d="M' + x + ' ' + y + 'v-8" stroke="#3b3026" stroke-width="2.5"/>' +
          '<path d="M' + x + ' ' + (y - 30) + 'c9 10 9 20 0 22c-9-2-9-12 0-22z" fill="#f49b2c"/>' +
          '<path d="M' + x + ' ' + (y - 20) + 'c4 5 4 10 0 11c-4-1-4-6 0-11z" fill="#ffe08a"/>';
      };
      return one(78, 70, 34) + one(120, 100, 38) + one(162, 54, 34);
    },
    cushion: function (t) {
      return '<path d="M56 70c22 8 106 8 128 0c-8 28-8 72 0 100c-22-8-106-8-128 0c8-28 8-72 0-100z" fill="' + t + '"/>' +
        '<path d="M68 82c20 6 84 6 104 0c-6 24-6 52 0 76c-20-6-84-6-104 0c6-24 6-52 0-76z" fill="none" stroke="' + shade(t, 0.4) + '" stroke-width="3" stroke-dasharray="6 6"/>' +
        '<circle cx="120" cy="120" r="7" fill="' + shade(t, -0.3) + '"/>' +
        '<path d="M120 120l-30-22M120 120l30-22M120 120l-30 22M120 120l30 22" stroke="' + shade(t, -0.2) + '" stroke-width="2" opacity=".5"/>';
    },
    vase: function (t) {
      return '<path d="M120 38c-2 20 4 36 16 44" fill="none" stroke="#4e7d3a" stroke-width="4" stroke-linecap="round"/>' +
        '<circle cx="118" cy="34" r="10" fill="#e86d7a"/><circle cx="118" cy="34" r="4" fill="#ffd36b"/>' +
        '<path d="M130 58c10-6 20-4 24 2c-10 6-18 4-24-2z" fill="#6aa84f"/>' +
        '<path d="M110 84h20v14c22 10 30 34 24 58c-4 16-16 24-34 24s-30-8-34-24c-6-24 2-48 24-58z" fill="' + t + '" opacity=".9"/>' +
        '<path d="M100 112c-8 14-8 34 0 48" fill="none" stroke="' + shade(t, 0.6) + '" stroke-width="6" stroke-linecap="round" opacity=".7"/>' +
        '<rect x="106" y="80" width="28" height="8" rx="4" fill="' + shade(t, -0.3) + '"/>';
    },
    throw: function (t) {
      var stripes = '';
      for (var i = 0; i < 6; i++) stripes += '<path d="M' + (62 + i * 20) + ' 66l10 10-10 10 10 10-10 10 10 10-10 10 10 10-10 10" fill="none" stroke="' + shade(t, 0.3) + '" stroke-width="3" opacity=".7"/>';
      var fringe = '';
      for (var j = 0; j < 12; j++) fringe += '<path d="M' + (60 + j * 11) + ' 170v14" stroke="' + shade(t, -0.2) + '" stroke-width="3" stroke-linecap="round"/>';
      return '<path d="M52 62h136v108H52z" fill="' + t + '"/>' + stripes + fringe +
        '<path d="M52 62h136l-10 22H62z" fill="' + shade(t, -0.25) + '" opacity=".5"/>';
    },
    plant: function (t) {
      var leaf = function (d, r) {
        return '<path transform="rotate(' + r + ' 120 130)" d="' + d + '" fill="' + t + '"/>';
      };
      var shape = 'M120 130c-30-10-46-40-30-62c22 6 34 34 30 62z';
      return leaf(shape, -40) + leaf(shape, 0) + leaf(shape, 40) + leaf(shape, 80) + leaf(shape, -80) +
        '<path d="M120 130v-40" stroke="' + shade(t, -0.3) + '" stroke-width="3"/>' +
        '<path d="M84 134h72l-8 48H92z" fill="#c86b45"/>' +
        '<rect x="80" y="128" width="80" height="14" rx="4" fill="#a9552f"/>';
    },
    can: function (t) {
      return '<path d="M96 110L48 74" stroke="' + t + '" stroke-width="9" stroke-linecap="round"/>' +
        '<ellipse cx="44" cy="71" rx="10" ry="6" transform="rotate(-35 44 71)" fill="' + shade(t, -0.3) + '"/>' +
        '<path d="M110 86c10-26 50-26 60 0" fill="none" stroke="' + shade(t, -0.25) + '" stroke-width="8" stroke-linecap="round"/>' +
        '<path d="M92 96h96v76c0 6-4 10-10 10h-76c-6 0-10-4-10-10z" fill="' + t + '"/>' +
        '<ellipse cx="140" cy="96" rx="48" ry="8" fill="' + shade(t, -0.3) + '"/>' +
        '<path d="M106 112v54" stroke="' + shade(t, 0.5) + '" stroke-width="7" stroke-linecap="round" opacity=".6"/>';
    },
    seeds: function (t) {
      var packet = function (x, y, r, c) {
        return '<g transform="rotate(' + r + ' ' + (x + 28) + ' ' + (y + 40) + ')">' +
          '<rect x="' + x + '" y="' + y + '" width="56" height="80" rx="4" fill="#fffaf0" stroke="' + shade(c, -0.2) + '" stroke-width="2"/>' +
          '<rect x="' + x + '" y="' + y + '" width="56" height="14" rx="4" fill="' + c + '"/>' +
          '<circle cx="' + (x + 28) + '" cy="' + (y + 46) + '" r="14" fill="' + shade(c, 0.3) + '"/>' +
          '<path d="M' + (x + 28) + ' ' + (y + 60) + 'v-20m0 8c-8-2-10-8-8-12m8 6c8-2 10-8 8-12" fill="none" stroke="' + shade(c, -0.3) + '" stroke-width="2.5" stroke-linecap="round"/></g>';
      };
      return packet(46, 86, -12, t) + packet(92, 70, 0, '#c0504d') + packet(138, 86, 12, '#d9a521');
    },
  };

  /** An accessible SVG for a product (`label` becomes its title). */
  function productArt(product, label) {
    var draw = drawings[product.art] || drawings.mug;
    return '<svg class="art" viewBox="0 0 240 220" role="img" aria-label="' + (label || product.name) + '" focusable="false">' +
      '<rect width="240" height="220" fill="' + product.accent + '"/>' +
      '<circle cx="196" cy="40" r="46" fill="' + shade(product.accent, 0.5) + '" opacity=".8"/>' +
      '<ellipse cx="120" cy="186" rx="78" ry="9" fill="' + shade(product.accent, -0.25) + '" opacity=".7"/>' +
      draw(product.tint) + '</svg>';
  }

  root.ShopArt = { productArt: productArt, shade: shade };
})(window);
