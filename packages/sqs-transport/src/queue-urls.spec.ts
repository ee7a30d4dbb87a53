import { describe, expect, it } from '@jest/globals';
import { lookUpQueueUrl, QueueUrls } from './queue-urls.js';
import { FakeSqsClient } from './testing/fake-sqs-client.js';

describe('QueueUrls', () => {
  it('uses URLs as given, takes known names from the map, and looks each other name up once', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('orders.fifo');
    const urls = new QueueUrls(fake.asClient(), { known: 'http://example/known' });
    expect(await urls.resolve('http://example/q')).toBe('http://example/q');
    expect(await urls.resolve('known')).toBe('http://example/known');
    expect(await urls.resolve('orders.fifo')).toBe(url);
    expect(await urls.resolve('orders.fifo')).toBe(url);
    expect(fake.callsOf('GetQueueUrlCommand')).toHaveLength(1);
  });

  it('does not cache a failed look-up: the queue can appear later', async () => {
    const fake = new FakeSqsClient();
    const urls = new QueueUrls(fake.asClient());
    await expect(urls.resolve('late')).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    const url = fake.createQueue('late');
    expect(await urls.resolve('late')).toBe(url);
  });

  it('lookUpQueueUrl rejects for a queue that does not exist', async () => {
    await expect(lookUpQueueUrl(new FakeSqsClient().asClient(), 'missing')).rejects.toThrow('does not exist');
  });
});
