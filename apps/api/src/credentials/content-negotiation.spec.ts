import { acceptQuality, prefers } from './content-negotiation.js';

describe('content negotiation', () => {
  it('prefers HTML for a browser and JSON for API clients and wildcards', async () => {
    expect(prefers('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html')).toBe(true);
    expect(prefers('application/json', 'text/html')).toBe(false);
    expect(prefers('*/*', 'text/html')).toBe(false);
    expect(prefers(undefined, 'text/html')).toBe(false);
    expect(prefers('application/json, text/html;q=0.5', 'text/html')).toBe(false);
    expect(prefers('text/html;q=0', 'text/html')).toBe(false);
    expect(prefers('application/vc+jwt', 'application/vc+jwt')).toBe(true);
  });

  it('takes the most specific matching range', async () => {
    expect(acceptQuality('text/*;q=0.3, text/html;q=0.7, */*;q=0.1', 'text/html')).toBe(0.7);
    expect(acceptQuality('text/*;q=0.3, */*;q=0.1', 'text/plain')).toBe(0.3);
    expect(acceptQuality('image/png', 'application/json')).toBe(0);
  });
});
