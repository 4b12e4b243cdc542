/** The kdeploy command line and Kubernetes node agent. */
module io.kdeploy.cli {
    requires io.kdeploy.core;
    requires info.picocli;

    opens io.kdeploy.cli to info.picocli;
}
