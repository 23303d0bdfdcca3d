// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { selectorFor } from './selector.js';

const find = (selector: string) => document.querySelector(selector) as Element;

describe('selectorFor', () => {
  beforeEach(() => {
    document.body.innerHTML = `
      <main>
        <section id="hero"><a class="cta primary big" href="/buy">Buy</a></section>
        <ul class="list"><li><button class="add">Add</button></li><li><button class="add">Add</button></li></ul>
        <div id=":r1:"><span class="css-1x2y3z label">Generated</span></div>
      </main>`;
  });

  it('anchors on the nearest stable id', () => {
    expect(selectorFor(find('#hero a'))).toBe('#hero>a.cta.primary');
  });

  it('tells same-tag siblings apart by position, and finds exactly the element', () => {
    const second = document.querySelectorAll('button.add')[1] as Element;
    const selector = selectorFor(second);
    expect(selector).toBe('main>ul.list>li:nth-of-type(2)>button.add');
    expect(document.querySelectorAll(selector)).toHaveLength(1);
    expect(document.querySelector(selector)).toBe(second);
  });

  it('skips generated ids and classes that change between deploys', () => {
    expect(selectorFor(find('span.label'))).toBe('body>main>div>span.label');
  });

  it('stays the same for the same element across page loads', () => {
    const before = selectorFor(document.querySelectorAll('button.add')[1] as Element);
    document.body.innerHTML = document.body.innerHTML;
    expect(selectorFor(document.querySelectorAll('button.add')[1] as Element)).toBe(before);
  });
});
