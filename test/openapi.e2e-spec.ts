import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import Ajv from 'ajv';
import request from 'supertest';
import { ACCOUNTS, ALL_PERMISSIONS, OWN_MFA, RESET, UNKNOWN_ID } from './support/api';
import type { SignedIn } from './support/test-app';
import { TestApp } from './support/test-app';
import { startContractApp } from './support/app-fixture';

describe('the OpenAPI document', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startContractApp()));
  after(() => t.close());

  describe('GET /swagger/v1/swagger.json', () => {
    type Schema = {
      $ref?: string;
      type?: string;
      oneOf?: Schema[];
      default?: unknown;
      properties?: Record<string, Schema>;
      items?: Schema;
      example?: unknown;
    };
    type Operation = {
      operationId?: string;
      tags?: string[];
      security?: Record<string, string[]>[];
      parameters?: { name: string; in: string; schema?: { format?: string; type?: string } }[];
      requestBody?: { content: Record<string, { schema?: Schema }> };
      responses: Record<
        string,
        { description?: string; content?: Record<string, { schema?: Schema }> }
      >;
    };
    type Doc = {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, Operation>>;
      components: {
        schemas: Record<string, Schema>;
        securitySchemes: Record<string, { type: string; scheme?: string }>;
      };
    };
    const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    const PUBLIC_PATHS = [
      '/signinBody',
      '/api/v1/login',
      // Authenticated per method inside (API tokens), as Zabbix does.
      '/api_jsonrpc.php',
      '/health/live',
      '/health/ready',
      '/metrics',
    ];
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
          // Said outright (an empty requirement), not left out: linters and generators read it.
          assert.ok(
            op.security !== undefined &&
              (op.security.length === 0 || op.security.some((r) => Object.keys(r).length === 0)),
            `${method} ${path} declares that no token is needed: ${JSON.stringify(op.security)}`,
          );
        } else {
          assert.ok(secured, `${method} ${path} names the bearer scheme`);
          assert.ok('401' in op.responses, `${method} ${path} documents 401`);
        }
      }
    });

    const ref = (name: string) => `#/components/schemas/${name}`;
    const STEP_UP_400 = {
      oneOf: [{ $ref: ref('ValidationProblemDetails') }, { $ref: ref('StepUpProblemDetails') }],
    };
    const takesStepUp = (op: Operation) =>
      (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'x-2fa-code');

    it('documents every error answer as problem+json with the shared schemas', () => {
      assert.ok('ProblemDetails' in doc.components.schemas);
      assert.ok('ValidationProblemDetails' in doc.components.schemas);
      let errors = 0;
      for (const { path, method, op } of operations()) {
        // Another system's calls answer errors in that system's shape (Rocket.Chat's JSON).
        const dialect = (op.tags ?? []).includes('Rocket.Chat');
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          errors++;
          const where = `${method} ${path} ${status}`;
          if (dialect) {
            assert.ok(response.content?.['application/json']?.schema, `${where} in its dialect`);
            continue;
          }
          const media = response.content?.['application/problem+json'];
          assert.ok(media, `${where} is application/problem+json`);
          if (status === '400' && (takesStepUp(op) || path === '/api/v1/Mfa/Enroll/Confirm')) {
            // A code refused (totp-required, totp-invalid) is a 400 without `errors`.
            assert.deepEqual(media.schema, STEP_UP_400, `${where} is either problem`);
          } else {
            const expected = ref(status === '400' ? 'ValidationProblemDetails' : 'ProblemDetails');
            assert.deepEqual(media.schema, { $ref: expected }, where);
          }
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

    it('documents accountable resets: Idempotency-Key, reason and ticket, 429, enrolment codes, budgets, MFA history', () => {
      const resets: [string, string][] = [
        [`${RESET}/{id}`, 'put'],
        [`${RESET}/ByName/{userName}`, 'put'],
        [RESET, 'put'],
        [`${OWN_MFA}/Reset`, 'put'],
        ['/api/v1/users.resetTOTP', 'post'],
      ];
      for (const [path, method] of resets) {
        const op = doc.paths[path]?.[method];
        assert.ok(op, `${method} ${path}`);
        const header = (op.parameters ?? []).find((p) => p.name === 'Idempotency-Key');
        assert.equal(header?.in, 'header', `${method} ${path} declares Idempotency-Key`);
        const body = JSON.stringify(op.requestBody ?? {});
        const schemas = JSON.stringify(doc.components.schemas);
        assert.ok(
          body.includes('ResetJustificationBody') ||
            body.includes('MfaResetBatchRequest') ||
            body.includes('RocketChatResetTotpBody'),
          `${path}: ${body}`,
        );
        assert.ok(schemas.includes('"reason"') && schemas.includes('"ticket"'));
      }
      for (const path of [`${RESET}/{id}`, `${RESET}/ByName/{userName}`, RESET]) {
        const responses = doc.paths[path].put.responses;
        for (const status of ['409', '422', '429'])
          assert.ok(responses[status], `${path} ${status}`);
      }
      const reset = doc.components.schemas.MfaResetResponse.properties ?? {};
      assert.ok(reset.enrollmentCode && reset.enrollmentCodeExpiresAt);
      assert.ok(doc.components.schemas.MfaResetBatchResponse.properties?.enrollmentCodes);
      assert.equal(doc.components.schemas.RoleResponse.properties?.resetBudget?.type, 'integer');
      assert.ok(doc.components.schemas.UpdateRoleDto.properties?.resetBudget);
      assert.ok(doc.components.schemas.SignInDto.properties?.enrollmentCode);
      const history = doc.paths[`${ACCOUNTS}/{id}/MfaHistory`]?.get;
      assert.equal(history?.operationId, 'GetMfaHistory');
    });

    it('passes a real linter (Redocly, recommended rules) with no error', async () => {
      const config = await createConfig({ extends: ['recommended'] });
      const problems = await lintFromString({
        source: JSON.stringify(doc),
        absoluteRef: '/swagger/v1/swagger.json',
        config,
      });
      const errors = problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
      assert.deepEqual(errors, []);
    });

    it('types the enrolment code as a string, and whole numbers as integers', () => {
      const code = doc.components.schemas.ConfirmEnrollmentDto.properties?.code;
      assert.equal(code?.type, 'string');
      const numbers: string[] = [];
      const visit = (schema: Schema | undefined, where: string): void => {
        if (schema === undefined) return;
        if (schema.type === 'number') numbers.push(where);
        for (const [name, inner] of Object.entries(schema.properties ?? {}))
          visit(inner, `${where}.${name}`);
        visit(schema.items, `${where}[]`);
        (schema.oneOf ?? []).forEach((inner, i) => visit(inner, `${where}|${i}`));
      };
      for (const [name, schema] of Object.entries(doc.components.schemas)) visit(schema, name);
      // Nothing in this API is fractional: status, seq, count, totalCount, sessionsRevoked...
      assert.deepEqual(numbers, []);
      assert.equal(doc.components.schemas.AuditEventResponse.properties?.seq.type, 'integer');
      assert.equal(
        doc.components.schemas.MfaResetResponse.properties?.sessionsRevoked.type,
        'integer',
      );
    });

    it('gives no optional request member a default (generators would make it required)', () => {
      assert.equal(doc.components.schemas.CreateAccountDto.properties?.roles.default, undefined);
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        for (const [member, inner] of Object.entries(schema.properties ?? {}))
          assert.equal(inner.default, undefined, `${name}.${member} has no default`);
      }
    });

    it("gives ValidationProblemDetails the validation problem's own examples", () => {
      const props = doc.components.schemas.ValidationProblemDetails.properties ?? {};
      assert.equal(props.status.example, 400);
      assert.equal(props.title.example, 'One or more validation errors occurred.');
      assert.match(String(props.type.example), /section-15\.5\.1$/);
    });

    it('describes every answer of every operation', () => {
      for (const { path, method, op } of operations())
        for (const [status, response] of Object.entries(op.responses))
          assert.ok((response.description ?? '').trim().length > 3, `${method} ${path} ${status}`);
      const signIn = doc.paths['/signinBody'].post.responses;
      assert.doesNotMatch(signIn['401'].description ?? '', /token/i);
      assert.doesNotMatch(signIn['400'].description ?? '', /step-up|totp/i);
    });

    it('names one schema per media type for the second factor body', () => {
      const content = doc.paths['/signin2fa'].post.requestBody?.content ?? {};
      assert.deepEqual(Object.keys(content).sort(), [
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
      ]);
      const refs = Object.values(content).map((m) => m.schema?.$ref);
      for (const r of refs) assert.match(r ?? '', /^#\/components\/schemas\/SecondFactor\w+$/);
      assert.equal(new Set(refs).size, 3, 'each media type says what is read from it');
    });

    describe('real answers match the documented schemas', () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      const check = (path: string, method: string, status: number, body: unknown): void => {
        const media = doc.paths[path][method].responses[String(status)]?.content;
        const schema = (media?.['application/problem+json'] ?? media?.['application/json'])?.schema;
        assert.ok(schema, `${method} ${path} documents ${status}`);
        if (ajv.getSchema('doc') === undefined)
          ajv.addSchema({ components: doc.components }, 'doc');
        const validate = ajv.compile(
          JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"doc#/')),
        );
        assert.ok(
          validate(body),
          `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body)}`,
        );
      };

      it('a step-up refusal, a validation problem, a 404 and a 401', async () => {
        const user = await t.createAccount(admin.token, 'schema-check', ['User']);
        const signedIn = await t.enroll('schema-check', user.password);
        const stepUp = await request(t.http)
          .put(`${OWN_MFA}/Reset`)
          .auth(signedIn.token, { type: 'bearer' })
          .set('x-2fa-code', '000000');
        assert.equal(stepUp.status, 400);
        check('/api/v1/Mfa/Reset', 'put', 400, stepUp.body);
        const invalid = await request(t.http)
          .put(`${RESET}/abc`)
          .auth(admin.token, { type: 'bearer' });
        check('/api/v1/ManagedAccount/ResetMFA/{id}', 'put', 400, invalid.body);
        const missing = await request(t.http)
          .put(`${RESET}/${UNKNOWN_ID}`)
          .auth(admin.token, { type: 'bearer' });
        check('/api/v1/ManagedAccount/ResetMFA/{id}', 'put', 404, missing.body);
        const noToken = await request(t.http).get(ACCOUNTS);
        check('/api/v1/ManagedAccount', 'get', 401, noToken.body);
        const done = await request(t.http)
          .put(`${RESET}/${signedIn.id}`)
          .auth(admin.token, { type: 'bearer' });
        check('/api/v1/ManagedAccount/ResetMFA/{id}', 'put', 200, done.body);
        const page = await request(t.http).get(ACCOUNTS).auth(admin.token, { type: 'bearer' });
        check('/api/v1/ManagedAccount', 'get', 200, page.body);
      });
    });

    it('declares the API key scheme beside the bearer one exactly where a key is taken', async () => {
      const scheme = doc.components.securitySchemes.apiKey as unknown as Record<string, string>;
      assert.deepEqual(
        [scheme.type, scheme.in, scheme.name],
        ['apiKey', 'header', 'Authorization'],
      );
      const created = await request(t.http)
        .post('/api/v1/ApiKey')
        .auth(admin.token, { type: 'bearer' })
        .send({ name: 'openapi', expiresInDays: 1, permissions: ALL_PERMISSIONS })
        .expect(201);
      const key = (created.body as { key: string }).key;
      let withKey = 0;
      for (const { path, method, op } of operations()) {
        const schemes = (op.security ?? []).flatMap((r) => Object.keys(r));
        if (!schemes.includes('bearer')) continue;
        const url = path
          .replace('{id}', UNKNOWN_ID)
          .replace('{name}', 'User')
          .replace('{userName}', 'nobody');
        const res = await request(t.http)[method as 'get'](url).set('Authorization', key);
        const where = `${method} ${path}`;
        if (schemes.includes('apiKey')) {
          withKey++;
          assert.notEqual(res.status, 401, `${where} takes a key, as documented: ${res.text}`);
        } else {
          assert.equal(res.status, 401, `${where} takes no key, as documented`);
        }
      }
      assert.ok(withKey >= 12, `${withKey} operations take a key`);
    });
  });
});
