/** Segment e-commerce v2 names for cart events. */
export const CART_EVENTS = {
  productViewed: 'Product Viewed',
  productAdded: 'Product Added',
  productRemoved: 'Product Removed',
  cartViewed: 'Cart Viewed',
  checkoutStarted: 'Checkout Started',
  orderCompleted: 'Order Completed',
  orderRefunded: 'Order Refunded',
} as const;
export type CartEventName = (typeof CART_EVENTS)[keyof typeof CART_EVENTS];

/** Events the tracker emits by itself. */
export const AUTO_EVENTS = {
  elementClicked: 'Element Clicked',
  scrollDepthReached: 'Scroll Depth Reached',
  elementViewed: 'Element Viewed',
  pageEngagement: 'Page Engagement',
} as const;
