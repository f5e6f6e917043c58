// Tests for functions/src/functions/health.ts, called directly as Azure would, against real Azurite and a dead port.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { setConfigForTests } from '../../../functions/src/config';
import { healthRoute } from '../../../functions/src/functions/health';
import { withApiBoundary } from '../../../functions/src/http/route';
import { useTestConfig } from '../../support/azurite';

const quiet = () => new InvocationContext({ functionName: 'health', logHandler: () => undefined });
const get = () => new HttpRequest({ method: 'GET', url: 'http://127.0.0.1:7071/api/health' });

describe('GET /api/health', () => {
  afterEach(() => setConfigForTests(undefined));

  it('answers 200 ok when storage answers', async () => {
    useTestConfig();
    const res = await withApiBoundary(healthRoute)(get(), quiet());
    expect(res.status).toBe(200);
    expect(res.jsonBody).toEqual({ status: 'ok', storage: 'ok' });
  });

  it('answers 503 with the error body when storage is down', async () => {
    useTestConfig({
      LEDGERDESK_STORAGE_CONNECTION:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1',
    });
    const res = await withApiBoundary(healthRoute)(get(), quiet());
    expect(res.status).toBe(503);
    expect(res.jsonBody).toEqual({
      error: { code: 'storage_unavailable', message: 'Storage is not answering.', details: [] },
    });
    expect(JSON.stringify(res.jsonBody)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at /);
  });
});
