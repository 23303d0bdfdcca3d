import type { Product } from '../../core/cart.js';
import type { Plugin } from '../../core/types.js';
import { listen } from './listen.js';

/**
 * Reads a product from `data-product-id`, `data-sku`, `data-name`, `data-price`, `data-quantity`,
 * `data-currency`; an absent one stays undefined, which the event's JSON snapshot leaves out.
 */
export function productFrom(element: HTMLElement): Product {
  const { productId, sku, name, currency, price, quantity } = element.dataset;
  const number = (value?: string) => (value ? Number.parseFloat(value) : undefined);
  return {
    product_id: productId,
    sku,
    name,
    currency,
    price: number(price),
    quantity: number(quantity) || 1,
  } as Product;
}

/** Cart events from markup: a click on `data-loupe-cart="add|remove|checkout"`. */
export const cartAttributes: Plugin = (host) =>
  listen(document, 'click', ({ target }) => {
    const element = target instanceof Element && target.closest<HTMLElement>('[data-loupe-cart]');
    if (!element) return;
    const action = element.getAttribute('data-loupe-cart');
    const product = productFrom(element);
    if (action === 'checkout') host.cart.checkout(product.product_id ? { products: [product] } : {});
    else if (action === 'add' || action === 'remove') host.cart[action](product);
  });
