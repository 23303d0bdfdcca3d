import type { Product } from '../../core/cart.js';
import type { Plugin } from '../../core/types.js';
import { listen } from './listen.js';

/** Reads a product from `data-product-id`, `data-sku`, `data-name`, `data-price`, `data-quantity`, `data-currency`. */
export function productFrom(element: Element): Product {
  const product: Product = {};
  for (const name of ['product_id', 'sku', 'name', 'currency', 'price', 'quantity']) {
    const value = element.getAttribute(`data-${name.replace('_', '-')}`);
    if (value) product[name] = name === 'price' || name === 'quantity' ? Number.parseFloat(value) : value;
  }
  product.quantity ||= 1;
  return product;
}

/** Cart events from markup: a click on `data-loupe-cart="add|remove|checkout"`. */
export const cartAttributes: Plugin = (host) =>
  listen(document, 'click', ({ target }) => {
    const element = target instanceof Element && target.closest('[data-loupe-cart]');
    if (!element) return;
    const action = element.getAttribute('data-loupe-cart');
    const product = productFrom(element);
    if (action === 'checkout') host.cart.checkout(product.product_id ? { products: [product] } : {});
    else if (action === 'add' || action === 'remove') host.cart[action](product);
  });
