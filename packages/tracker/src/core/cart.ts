import { CART_EVENTS } from '@loupe/schema';
import type { Properties } from './types.js';

/** Segment e-commerce v2 product fields; more are passed through. */
export interface Product extends Properties {
  product_id?: string;
  sku?: string;
  name?: string;
  price?: number;
  quantity?: number;
  currency?: string;
  cart_id?: string;
}

export interface Order extends Properties {
  order_id?: string;
  cart_id?: string;
  revenue?: number;
  currency?: string;
  products?: Product[];
}

export interface Cart {
  add(product: Product): void;
  remove(product: Product): void;
  /** `Product Viewed` for a product, `Cart Viewed` for a cart (or nothing). */
  view(item?: Product | Order): void;
  checkout(order?: Order): void;
  purchase(order: Order): void;
}

const withRevenue = (order: Order = {}): Order => {
  if (order.revenue !== undefined || !order.products) return order;
  const revenue = order.products.reduce((sum, p) => sum + (p.price ?? 0) * (p.quantity ?? 1), 0);
  return { ...order, revenue: Math.round(revenue * 100) / 100 };
};

/** Maps the cart API to Segment's e-commerce v2 events. */
export function createCart(track: (event: string, properties: Properties) => void): Cart {
  return {
    add: (product) => track(CART_EVENTS.productAdded, { quantity: 1, ...product }),
    remove: (product) => track(CART_EVENTS.productRemoved, { quantity: 1, ...product }),
    view: (item = {}) =>
      'product_id' in item || 'sku' in item
        ? track(CART_EVENTS.productViewed, item)
        : track(CART_EVENTS.cartViewed, item),
    checkout: (order) => track(CART_EVENTS.checkoutStarted, withRevenue(order)),
    purchase: (order) => track(CART_EVENTS.orderCompleted, withRevenue(order)),
  };
}
