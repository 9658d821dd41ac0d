/**
 * The Kubernetes manifests: every YAML document parses and matches its kind's schema, and the pieces fit together
 * (selectors match labels, ports and volumes referenced exist, the config is valid JSON, kustomize finds its files).
 */
import { describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { SCHEMAS } from "./kubernetes-schemas.ts";

const ROOT = resolve(import.meta.dir, "..", "..");
const K8S = join(ROOT, "installers", "kubernetes");

interface Manifest {
  file: string;
  doc: Record<string, any>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const manifests: Manifest[] = yamlFiles(K8S).flatMap((file) =>
  parseAllDocuments(readFileSync(file, "utf8")).map((document) => {
    if (document.errors.length > 0) throw new Error(`${relative(ROOT, file)}: ${document.errors[0]!.message}`);
    return { file: relative(K8S, file), doc: document.toJS() as Record<string, any> };
  }),
);

function only(kind: string): Manifest {
  const found = manifests.filter((m) => m.doc.kind === kind);
  expect(found.length, `one ${kind}`).toBe(1);
  return found[0]!;
}

const daemonSet = only("DaemonSet").doc;
const podSpec = daemonSet.spec.template.spec;
const allContainers: any[] = [...(podSpec.initContainers ?? []), ...podSpec.containers];
const host = podSpec.containers.find((c: any) => c.name === "fabstir-host");

describe("kubernetes manifests", () => {
  test("every document has a known kind and matches its schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(manifests.length).toBeGreaterThanOrEqual(7);
    for (const { file, doc } of manifests) {
      const schema = SCHEMAS[doc.kind];
      expect(schema, `${file}: no schema for kind ${doc.kind}`).toBeDefined();
      const validate = ajv.compile(schema!);
      expect(validate(doc) ? [] : validate.errors, file).toEqual([]);
    }
  });

  test("the DaemonSet selects its own pods, one per GPU node, with a GPU each", () => {
    const selector = daemonSet.spec.selector.matchLabels;
    const labels = daemonSet.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(selector)) expect(labels[key], key).toBe(value);
    expect(podSpec.nodeSelector["nvidia.com/gpu.present"]).toBe("true");
    expect(host.resources.limits["nvidia.com/gpu"]).toBe(1);
    expect(daemonSet.spec.template.metadata.annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/port": "9464" });
  });

  test("the host container: image, ports, probes, password file and non-root", () => {
    expect(host.image).toMatch(/^ghcr\.io\/fabstir\/fabstir-host:/);
    expect(host.args).toEqual(["start"]);
    const ports = Object.fromEntries(host.ports.map((p: any) => [p.name, p.containerPort]));
    expect(ports).toEqual({ api: 8080, metrics: 9464 });
    expect(host.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(host.livenessProbe.httpGet.path).toBe("/healthz");
    const env = Object.fromEntries(host.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.FABSTIR_HOME).toBe("/data");
    expect(env.FABSTIR_PASSWORD_FILE).toBe("/run/secrets/fabstir-password");
    for (const e of host.env) expect(e.name, "secrets never go in env vars").not.toMatch(/PASSWORD$|PRIVATE_KEY|MNEMONIC/);
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    expect(host.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  test("every volume a container mounts exists, and every named probe port is declared", () => {
    const volumes = new Set(podSpec.volumes.map((v: any) => v.name));
    for (const container of allContainers) {
      for (const mount of container.volumeMounts ?? []) expect(volumes.has(mount.name), `${container.name} mounts ${mount.name}`).toBe(true);
      const portNames = new Set((container.ports ?? []).map((p: any) => p.name));
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const target = container[probe]?.httpGet?.port;
        if (typeof target === "string") expect(portNames.has(target), `${container.name} ${probe} port ${target}`).toBe(true);
      }
    }
    const mounted = new Set(allContainers.flatMap((c) => (c.volumeMounts ?? []).map((m: any) => m.name)));
    for (const name of volumes) expect(mounted.has(name), `volume ${name} is never mounted`).toBe(true);
  });

  test("the ConfigMap and Secret the pods read exist, with the keys they use", () => {
    const configMap = only("ConfigMap").doc;
    const secret = only("Secret").doc;
    for (const volume of podSpec.volumes) {
      if (volume.configMap) expect(volume.configMap.name).toBe(configMap.metadata.name);
      if (volume.secret) {
        expect(volume.secret.secretName).toBe(secret.metadata.name);
        for (const item of volume.secret.items ?? []) expect(Object.keys(secret.stringData)).toContain(item.key);
      }
    }
    const config = JSON.parse(configMap.data["config.json"]);
    expect(config).toMatchObject({ version: 1, metrics: { listen: "0.0.0.0:9464" } });
    expect(JSON.stringify(config)).not.toMatch(/privateKey|mnemonic|password/i);
  });

  test("the Service and ServiceMonitor find the pods and their ports", () => {
    const service = only("Service").doc;
    const monitor = only("ServiceMonitor").doc;
    const podLabels = daemonSet.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(service.spec.selector)) expect(podLabels[key], key).toBe(value);
    const containerPorts = new Set(host.ports.map((p: any) => p.name));
    for (const p of service.spec.ports) expect(containerPorts.has(p.targetPort), `targetPort ${p.targetPort}`).toBe(true);
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[key], key).toBe(value);
    const servicePorts = new Set(service.spec.ports.map((p: any) => p.name));
    for (const endpoint of monitor.spec.endpoints) expect(servicePorts.has(endpoint.port)).toBe(true);
  });

  test("the node's internal port stays closed: a NetworkPolicy lets in only the declared ports (the node binds 0.0.0.0, fabstir-llm-node@85a87b8 src/main.rs:329)", () => {
    const policy = only("NetworkPolicy").doc;
    const podLabels = daemonSet.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(policy.spec.podSelector.matchLabels)) expect(podLabels[key], key).toBe(value);
    expect(policy.spec.policyTypes).toContain("Ingress");
    const allowed = policy.spec.ingress.flatMap((rule: any) => rule.ports.map((p: any) => p.port)).sort();
    const declared = host.ports.map((p: any) => p.containerPort).sort();
    expect(allowed).toEqual(declared);
    const internal = JSON.parse(only("ConfigMap").doc.data["config.json"]).node.internalPort ?? 8081;
    expect(allowed).not.toContain(internal);
    expect(declared).not.toContain(internal);
    const base = manifests.find((m) => m.file === "kustomization.yaml")!.doc;
    expect(base.resources).toContain("networkpolicy.yaml");
  });

  test("kustomize resources exist, the example secret stays out, and the image is pinned", () => {
    for (const { file, doc } of manifests.filter((m) => m.doc.kind === "Kustomization")) {
      const dir = join(K8S, dirname(file));
      for (const resource of doc.resources) expect(existsSync(join(dir, resource)), `${file}: ${resource}`).toBe(true);
      expect(doc.resources).not.toContain("secret.example.yaml");
    }
    const base = manifests.find((m) => m.file === "kustomization.yaml")!.doc;
    expect(base.namespace).toBe("fabstir");
    expect(base.images).toEqual([{ name: "ghcr.io/fabstir/fabstir-host", newTag: expect.stringMatching(/^\d+\.\d+\.\d+/) }]);
    expect(existsSync(join(K8S, "README.md"))).toBe(true);
  });
});
