/** Hosts prefilled in the certificate command come from the workspace's endpoints. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { suggestedHosts } from '../../server/src/service/certificates/suggestedHosts';
import { hostOf } from '../../server/src/service/model/endpoint';
import { workspaceOf } from '../support/check';

it('collects app endpoints, exporter endpoints and receiver binds, then localhost and 127.0.0.1', () => {
  const { index } = workspaceOf([
    { path: '/w/.env', text: 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\n' },
    {
      path: '/w/c.yaml',
      text: 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: gateway.internal:4318\nexporters:\n  otlp:\n    endpoint: dns:///backend:4317\n',
    },
  ]);
  assert.deepEqual(suggestedHosts(index(), () => undefined), ['otel-collector.observability.svc', 'backend', 'gateway.internal', 'localhost', '127.0.0.1']);
});

it('reads hosts out of the endpoint forms the Collector and SDKs accept', () => {
  assert.equal(hostOf('https://h.example:4318/v1/traces'), 'h.example');
  assert.equal(hostOf('h:4317'), 'h');
  assert.equal(hostOf('[::1]:4317'), '::1');
  assert.equal(hostOf(''), undefined);
});
