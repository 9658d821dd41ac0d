/**
 * Small JSON schemas, one per Kubernetes kind the manifests use: only the fields a cluster (or the Prometheus
 * Operator, or kustomize) would reject the object without, plus the ones the fleet depends on. Not the full OpenAPI
 * schemas: those need a cluster or a download, and tests stay offline.
 */
type Schema = Record<string, unknown>;

const name = { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253 };
const labels = { type: "object", additionalProperties: { type: "string", maxLength: 63 } };
const annotations = { type: "object", additionalProperties: { type: "string" } };
const metadata = {
  type: "object",
  required: ["name"],
  properties: { name, namespace: name, labels, annotations },
};
const port = { type: "integer", minimum: 1, maximum: 65535 };
const portName = { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 15 };
const quantity = { anyOf: [{ type: "string", pattern: "^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$" }, { type: "integer" }] };

function object(required: string[], properties: Schema, extra: Schema = {}): Schema {
  return { type: "object", required, properties, ...extra };
}

const header = (apiVersion: string, kind: string) => ({
  apiVersion: { const: apiVersion },
  kind: { const: kind },
  metadata,
});

const env = {
  type: "array",
  items: object(
    ["name"],
    {
      name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
      value: { type: "string" },
      valueFrom: { type: "object" },
    },
    { oneOf: [{ required: ["value"] }, { required: ["valueFrom"] }] },
  ),
};

const probe = object(["httpGet"], {
  httpGet: object(["path", "port"], { path: { type: "string", pattern: "^/" }, port: { anyOf: [port, portName] } }),
});

const container = object(["name", "image"], {
  name: portName,
  image: { type: "string", minLength: 1 },
  command: { type: "array", items: { type: "string" } },
  args: { type: "array", items: { type: "string" } },
  env,
  ports: {
    type: "array",
    items: object(["containerPort"], { name: portName, containerPort: port, hostPort: port, protocol: { enum: ["TCP", "UDP", "SCTP"] } }),
  },
  resources: object([], { requests: { type: "object", additionalProperties: quantity }, limits: { type: "object", additionalProperties: quantity } }),
  volumeMounts: { type: "array", items: object(["name", "mountPath"], { name: portName, mountPath: { type: "string", pattern: "^/" } }) },
  startupProbe: probe,
  livenessProbe: probe,
  readinessProbe: probe,
});

const volume = object(
  ["name"],
  { name: portName },
  {
    oneOf: ["hostPath", "configMap", "secret", "emptyDir", "persistentVolumeClaim"].map((source) => ({ required: [source] })),
  },
);

export const SCHEMAS: Record<string, Schema> = {
  Namespace: object(["apiVersion", "kind", "metadata"], header("v1", "Namespace")),
  ConfigMap: object(["apiVersion", "kind", "metadata", "data"], {
    ...header("v1", "ConfigMap"),
    data: { type: "object", additionalProperties: { type: "string" } },
  }),
  Secret: object(
    ["apiVersion", "kind", "metadata"],
    {
      ...header("v1", "Secret"),
      type: { type: "string" },
      stringData: { type: "object", additionalProperties: { type: "string" } },
      data: { type: "object", additionalProperties: { type: "string", pattern: "^[A-Za-z0-9+/=]*$" } },
    },
    { anyOf: [{ required: ["stringData"] }, { required: ["data"] }] },
  ),
  Service: object(["apiVersion", "kind", "metadata", "spec"], {
    ...header("v1", "Service"),
    spec: object(["selector", "ports"], {
      type: { enum: ["ClusterIP", "NodePort", "LoadBalancer"] },
      selector: labels,
      ports: { type: "array", minItems: 1, items: object(["name", "port"], { name: portName, port, targetPort: { anyOf: [port, portName] } }) },
    }),
  }),
  DaemonSet: object(["apiVersion", "kind", "metadata", "spec"], {
    ...header("apps/v1", "DaemonSet"),
    spec: object(["selector", "template"], {
      selector: object(["matchLabels"], { matchLabels: labels }),
      template: object(["metadata", "spec"], {
        metadata: object(["labels"], { labels, annotations }),
        spec: object(["containers"], {
          nodeSelector: labels,
          initContainers: { type: "array", items: container },
          containers: { type: "array", minItems: 1, items: container },
          volumes: { type: "array", items: volume },
          terminationGracePeriodSeconds: { type: "integer", minimum: 0 },
        }),
      }),
    }),
  }),
  ServiceMonitor: object(["apiVersion", "kind", "metadata", "spec"], {
    ...header("monitoring.coreos.com/v1", "ServiceMonitor"),
    spec: object(["selector", "endpoints"], {
      selector: object(["matchLabels"], { matchLabels: labels }),
      endpoints: { type: "array", minItems: 1, items: object(["port"], { port: portName, path: { type: "string", pattern: "^/" } }) },
    }),
  }),
  NetworkPolicy: object(["apiVersion", "kind", "metadata", "spec"], {
    ...header("networking.k8s.io/v1", "NetworkPolicy"),
    spec: object(["podSelector", "policyTypes"], {
      podSelector: object(["matchLabels"], { matchLabels: labels }),
      policyTypes: { type: "array", items: { enum: ["Ingress", "Egress"] } },
      ingress: {
        type: "array",
        items: object([], {
          from: { type: "array", items: { type: "object" } },
          ports: { type: "array", items: object(["port"], { port: { anyOf: [port, portName] }, protocol: { enum: ["TCP", "UDP", "SCTP"] } }) },
        }),
      },
    }),
  }),
  Kustomization: object(["apiVersion", "kind", "resources"], {
    apiVersion: { const: "kustomize.config.k8s.io/v1beta1" },
    kind: { const: "Kustomization" },
    namespace: name,
    resources: { type: "array", minItems: 1, items: { type: "string" } },
    images: { type: "array", items: object(["name"], { name: { type: "string" }, newTag: { type: "string" } }) },
  }),
};
