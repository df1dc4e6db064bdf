/**
 * Upstream data (not code): the default collector config of the opentelemetry-collector Helm chart,
 * which the chart merges the user's `config:` over (docs/facts/helm-chart.md §2; read by ./helmValues.ts).
 *
 * Repository: open-telemetry/opentelemetry-helm-charts
 * Path: charts/opentelemetry-collector/values.yaml (the `config:` block, lines 94-171 by our count)
 * Commit: f352c0e7ef3be64a76c8982728727014217b4413
 * Taken with the read_file tool (the only stored version of the file); the text below is that block
 * verbatim. Its receivers, exporters and pipelines are those of chart 0.170.0 as the rendered fixture
 * test/fixtures/upstream/.../daemonset-and-deployment/rendered/configmap-agent.yaml shows them; only
 * `service.telemetry` differs (`metrics.address` here, `metrics.readers` and `resource` in 0.170.0),
 * which no TLS check reads.
 */
export const HELM_CHART_DEFAULTS_SOURCE = {
  repository: 'open-telemetry/opentelemetry-helm-charts',
  path: 'charts/opentelemetry-collector/values.yaml',
  commit: 'f352c0e7ef3be64a76c8982728727014217b4413',
};

/** The `config:` block of the chart's values.yaml, verbatim. */
export const HELM_CHART_DEFAULT_CONFIG = `config:
  exporters:
    debug: {}
  extensions:
    # The health_check extension is mandatory for this chart.
    # Without the health_check extension the collector will fail the readiness and liveliness probes.
    # The health_check extension can be modified, but should never be removed.
    health_check:
      endpoint: \${env:MY_POD_IP}:13133
  processors:
    batch: {}
    # Default memory limiter configuration for the collector based on k8s resource limits.
    memory_limiter:
      # check_interval is the time between measurements of memory usage.
      check_interval: 5s
      # By default limit_mib is set to 80% of ".Values.resources.limits.memory"
      limit_percentage: 80
      # By default spike_limit_mib is set to 25% of ".Values.resources.limits.memory"
      spike_limit_percentage: 25
  receivers:
    jaeger:
      protocols:
        grpc:
          endpoint: \${env:MY_POD_IP}:14250
        thrift_http:
          endpoint: \${env:MY_POD_IP}:14268
        thrift_compact:
          endpoint: \${env:MY_POD_IP}:6831
    otlp:
      protocols:
        grpc:
          endpoint: \${env:MY_POD_IP}:4317
        http:
          endpoint: \${env:MY_POD_IP}:4318
    prometheus:
      config:
        scrape_configs:
          - job_name: opentelemetry-collector
            scrape_interval: 10s
            static_configs:
              - targets:
                  - \${env:MY_POD_IP}:8888
    zipkin:
      endpoint: \${env:MY_POD_IP}:9411
  service:
    telemetry:
      metrics:
        address: \${env:MY_POD_IP}:8888
    extensions:
      - health_check
    pipelines:
      logs:
        exporters:
          - debug
        processors:
          - memory_limiter
          - batch
        receivers:
          - otlp
      metrics:
        exporters:
          - debug
        processors:
          - memory_limiter
          - batch
        receivers:
          - otlp
          - prometheus
      traces:
        exporters:
          - debug
        processors:
          - memory_limiter
          - batch
        receivers:
          - otlp
          - jaeger
          - zipkin
`;
