import type { Product } from '../../core/cart.js';
import type { Plugin, PluginHost } from '../../core/types.js';
import { listen } from './listen.js';

/** A `data-loupe-cart` element's data attributes (`element.dataset`, or a copy of it). */
export type CartData = Partial<Record<string, string>>;

/**
 * Reads a product from `data-product-id`, `data-sku`, `data-name`, `data-price`, `data-quantity`,
 * `data-currency`; an absent one stays undefined, which the event's JSON snapshot leaves out.
 */
export function productFrom({ productId, sku, name, currency, price, quantity }: CartData): Product {
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

/** The cart event of a click on `data-loupe-cart="add|remove|checkout"`, from the element's data attributes. */
export function cartClick(host: PluginHost, data: CartData): void {
  const action = data.loupeCart;
  const product = productFrom(data);
  if (action === 'checkout') host.cart.checkout(product.product_id ? { products: [product] } : {});
  else if (action === 'add' || action === 'remove') host.cart[action](product);
}

/** Cart events from markup: a click on `data-loupe-cart="add|remove|checkout"`. */
export const cartAttributes: Plugin = (host) =>
  listen(document, 'click', ({ target }) => {
    const element = target instanceof Element && target.closest<HTMLElement>('[data-loupe-cart]');
    if (element) cartClick(host, element.dataset);
  });
