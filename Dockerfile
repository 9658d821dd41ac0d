# syntax=docker/dockerfile:1.7
# fabstir-host on the CUDA runtime: one container per GPU machine (or per GPU node in Kubernetes).
#
#   bun run build && docker build -t fabstir-host .           # packs dist/fabstir-host-linux-<arch>
#   docker build --build-arg BINARY_SOURCE=source -t fabstir-host .   # compiles it inside the build instead
#
#   docker run -d --gpus all --init -p 8080:8080 -p 127.0.0.1:9464:9464 \
#     -v fabstir-data:/data -v "$PWD/password.txt:/run/secrets/fabstir-password:ro" fabstir-host
#
# Publish 8080 (clients) and nothing else to the world. fabstir-llm-node listens on 0.0.0.0 at node.internalPort
# (8081) inside the container and cannot be told otherwise (fabstir-llm-node@85a87b8 src/main.rs:329): never publish
# it (-p 8081) and do not run with --network host unless a firewall on the machine closes 8081.
#
# /data holds config.json, keystore/ (encrypted), state/, logs/, node builds and models: keep it on a volume.
# The keystore password is read from the file named by FABSTIR_PASSWORD_FILE (a Docker or Kubernetes secret),
# never from an environment variable or the command line.

# The node is released as one CUDA 13 build; its own image is nvidia/cuda:13.0.0-runtime-ubuntu22.04
# (fabstir-llm-node@85a87b8 Dockerfile.production:3). A CUDA 13 runtime needs NVIDIA driver 580 or newer on the machine.
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-runtime-ubuntu22.04
ARG BUN_IMAGE=oven/bun:1.4.4
# "prebuilt" packs the binary `bun run build` left in dist/; "source" compiles it in the bun stage below.
ARG BINARY_SOURCE=prebuilt

# --- the binary, compiled from source ------------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM ${BUN_IMAGE} AS source
WORKDIR /src
COPY package.json bun.lock ./
# Every platform's native addon packages, so the keychain binding can be embedded for the target architecture.
RUN bun install --frozen-lockfile --os='*' --cpu='*'
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
ARG TARGETARCH
ARG FABSTIR_BUILD_COMMIT=unknown
ENV FABSTIR_BUILD_COMMIT=${FABSTIR_BUILD_COMMIT}
RUN case "${TARGETARCH}" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; esac \
 && bun scripts/build.ts --target "linux-${arch}" \
 && mkdir -p /out && cp "dist/fabstir-host-linux-${arch}" /out/fabstir-host

# --- the binary, taken from dist/ ----------------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM busybox:1.36 AS prebuilt
ARG TARGETARCH
COPY dist/ /dist/
RUN case "${TARGETARCH}" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; esac \
 && test -f "/dist/fabstir-host-linux-${arch}" || { echo "dist/fabstir-host-linux-${arch} is missing: run 'bun run build' first, or build with --build-arg BINARY_SOURCE=source" >&2; exit 1; } \
 && mkdir -p /out && cp "/dist/fabstir-host-linux-${arch}" /out/fabstir-host

FROM ${BINARY_SOURCE} AS binary

# --- the runtime image ---------------------------------------------------------------------------------------------
FROM ${CUDA_IMAGE}
LABEL org.opencontainers.image.title="fabstir-host" \
      org.opencontainers.image.description="Run a host on the Fabstir decentralized LLM inference network" \
      org.opencontainers.image.source="https://github.com/fabstir/fabstir-host"

# curl answers the HEALTHCHECK; ca-certificates lets the host reach RPC endpoints and download node builds and models.
# libgomp1, libssl3 and libnccl2 are what the node's own runtime image adds to the CUDA base (Dockerfile.production:4-9;
# libssl3 is the runtime half of its libssl-dev); libnccl2 comes from NVIDIA's apt repository, set up in the base image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl libgomp1 libssl3 libnccl2 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 fabstir \
 && useradd --system --uid 10001 --gid fabstir --home-dir /data --shell /usr/sbin/nologin fabstir \
 && mkdir -p /data \
 && chown fabstir:fabstir /data \
 && chmod 0700 /data

COPY --from=binary --chmod=0755 /out/fabstir-host /usr/local/bin/fabstir-host

ENV FABSTIR_HOME=/data \
    FABSTIR_PASSWORD_FILE=/run/secrets/fabstir-password \
    FABSTIR_METRICS_LISTEN=0.0.0.0:9464 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

VOLUME ["/data"]
# 8080: the public API (HTTP and WebSocket) clients reach; 9464: /metrics, /healthz and /readyz. Not 8081: the node's
# internal port is for the host inside this container only.
EXPOSE 8080 9464

USER fabstir
WORKDIR /data

# Ready only once the model is loaded and the host is registered; loading a large model takes minutes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m --retries=3 \
  CMD curl -fsS --max-time 4 http://127.0.0.1:9464/readyz || exit 1

ENTRYPOINT ["fabstir-host"]
CMD ["start"]
