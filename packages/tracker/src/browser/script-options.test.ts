// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { scriptOptions } from './script-options.js';

// Parsed inside a <template>: inert, so nothing tries to load the script.
const script = (attributes: string) => {
  const template = document.createElement('template');
  template.innerHTML = `<script ${attributes}></script>`;
  return template.content.firstElementChild as HTMLScriptElement;
};

describe('scriptOptions', () => {
  it('derives the collector from the folder the script was served from', () => {
    expect(scriptOptions(script('src="https://shop.example/lp/x.js" data-write-key="wk_1"'))).toEqual({
      writeKey: 'wk_1',
      host: 'https://shop.example/lp',
    });
  });

  it('lets data-host override it and reads capture, consent defaults and timeout', () => {
    const options = scriptOptions(
      script(
        'src="https://c.example/loupe.js" data-write-key="wk" data-host="https://other.example" data-capture="page clicks" data-consent="granted" data-show-timeout="300"',
      ),
    );
    expect(options).toEqual({
      writeKey: 'wk',
      host: 'https://other.example',
      capture: { page: true, clicks: true },
      captureOnly: true,
      consentDefaults: ['analytics', 'personalization', 'marketing'],
      personalize: 300,
    });
  });

  it('reads data-erase-on-revoke as the eraseOnRevoke option', () => {
    const options = scriptOptions(script('src="https://c.example/loupe.js" data-write-key="wk" data-erase-on-revoke'));
    expect(options).toMatchObject({ eraseOnRevoke: true });
    expect(scriptOptions(script('src="https://c.example/loupe.js" data-write-key="wk"'))).not.toHaveProperty(
      'eraseOnRevoke',
    );
  });
});
