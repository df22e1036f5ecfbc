import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { TestApp } from './support/test-app';
import { startContractApp } from './support/app-fixture';

describe('the OpenAPI document', () => {
  let t: TestApp;

  before(async () => ({ t } = await startContractApp()));
  after(() => t.close());

  describe('GET /swagger/v1/swagger.json', () => {
    type Operation = {
      operationId?: string;
      security?: Record<string, string[]>[];
      parameters?: { name: string; in: string; schema?: { format?: string; type?: string } }[];
      responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    };
    type Doc = {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, Operation>>;
      components: {
        schemas: Record<string, unknown>;
        securitySchemes: Record<string, { type: string; scheme?: string }>;
      };
    };
    const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    const PUBLIC_PATHS = ['/signinBody', '/health/live', '/health/ready', '/metrics'];
    let doc: Doc;
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => METHODS.includes(method))
          .map(([method, op]) => ({ path, method, op })),
      );

    before(async () => {
      const res = await request(t.http).get('/swagger/v1/swagger.json').expect(200);
      assert.match(res.headers['content-type'], /^application\/json/);
      doc = JSON.parse(res.text) as Doc;
    });

    it('is OpenAPI 3 with servers [{url: "/"}]', () => {
      assert.match(doc.openapi, /^3\./);
      assert.deepEqual(doc.servers, [{ url: '/' }]);
    });

    it('lists every endpoint of the contract', () => {
      const expected = [
        'post /signinBody',
        'post /signin2fa',
        'post /signout',
        'post /api/v1/Mfa/Enroll',
        'post /api/v1/Mfa/Enroll/Confirm',
        'get /api/v1/Mfa',
        'put /api/v1/Mfa/Reset',
        'put /api/v1/ManagedAccount/ResetMFA/{id}',
        'put /api/v1/ManagedAccount/ResetMFA/ByName/{userName}',
        'put /api/v1/ManagedAccount/ResetMFA',
        'post /api/v1/ManagedAccount',
        'get /api/v1/ManagedAccount',
        'get /api/v1/ManagedAccount/{id}',
        'patch /api/v1/ManagedAccount/{id}',
        'get /api/v1/Role',
        'put /api/v1/Role/{name}',
        'get /api/v1/AuditEvent',
        'get /api/v1/AuditEvent/Verify',
        'get /health/live',
        'get /health/ready',
        'get /metrics',
      ];
      const present = new Set(operations().map((o) => `${o.method} ${o.path}`));
      for (const e of expected) assert.ok(present.has(e), `${e} is documented`);
    });

    it('gives every operation a unique operationId', () => {
      const ids = operations().map((o) => o.op.operationId);
      for (const [i, id] of ids.entries())
        assert.ok(typeof id === 'string' && id !== '', `operation ${i} has an operationId`);
      assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(', ')}`);
    });

    it('documents a success answer for every operation (204 included)', () => {
      for (const { path, method, op } of operations()) {
        const success = Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status));
        assert.ok(success.length > 0, `${method} ${path} documents its success answer`);
      }
      assert.ok('204' in doc.paths['/signout'].post.responses, 'POST /signout answers 204');
    });

    it('declares the bearer scheme on every operation but the public ones', () => {
      const schemes = Object.entries(doc.components.securitySchemes ?? {});
      const bearer = schemes.find(([, s]) => s.type === 'http' && s.scheme === 'bearer');
      assert.ok(bearer, 'a bearer security scheme');
      const [bearerName] = bearer;
      for (const { path, method, op } of operations()) {
        const secured = (op.security ?? []).some((s) => bearerName in s);
        if (PUBLIC_PATHS.includes(path)) {
          assert.ok(!secured, `${method} ${path} is public`);
        } else {
          assert.ok(secured, `${method} ${path} names the bearer scheme`);
          assert.ok('401' in op.responses, `${method} ${path} documents 401`);
        }
      }
    });

    it('documents every error answer as problem+json with the shared schemas', () => {
      assert.ok('ProblemDetails' in doc.components.schemas);
      assert.ok('ValidationProblemDetails' in doc.components.schemas);
      let errors = 0;
      for (const { path, method, op } of operations()) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          errors++;
          const where = `${method} ${path} ${status}`;
          const media = response.content?.['application/problem+json'];
          assert.ok(media, `${where} is application/problem+json`);
          assert.ok(
            [
              '#/components/schemas/ProblemDetails',
              '#/components/schemas/ValidationProblemDetails',
            ].includes(media.schema?.$ref ?? ''),
            `${where} references a shared schema: ${JSON.stringify(media.schema)}`,
          );
        }
      }
      assert.ok(errors > 20, 'error answers are documented');
    });

    it('declares the ManagedAccount {id} parameters as format uuid', () => {
      let checked = 0;
      for (const { path, method, op } of operations()) {
        if (!path.startsWith('/api/v1/ManagedAccount') || !path.includes('{id}')) continue;
        const ids = (op.parameters ?? []).filter((p) => p.name === 'id' && p.in === 'path');
        assert.equal(ids.length, 1, `${method} ${path} declares id once`);
        assert.equal(ids[0].schema?.format, 'uuid', `${method} ${path}: ${JSON.stringify(ids)}`);
        checked++;
      }
      assert.ok(checked >= 3, `checked ${checked} operations`);
    });
  });
});
