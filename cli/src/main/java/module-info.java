/** The kdeploy command line and Kubernetes node agent. */
module io.kdeploy.cli {
    requires io.kdeploy.core;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires kubernetes.model.core;
    requires kubernetes.model.apps;

    opens io.kdeploy.cli to info.picocli;
}
