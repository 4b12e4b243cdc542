/** The kdeploy command line and Kubernetes node agent. */
module io.kdeploy.cli {
    requires io.kdeploy.core;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires kubernetes.model.core;
    requires kubernetes.model.apps;
    requires kubernetes.model.node;
    requires kubernetes.model.rbac;
    requires kubernetes.model.batch;
    requires kubernetes.model.common;
    requires kubernetes.client.api;
    requires kubernetes.client;
    requires kubernetes.httpclient.jdk;
    requires jdk.httpserver;
    requires java.logging;

    opens io.kdeploy.cli to info.picocli;
}
