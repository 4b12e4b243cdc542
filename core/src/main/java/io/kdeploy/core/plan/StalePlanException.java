package io.kdeploy.core.plan;

import io.kdeploy.core.KdeployException;

/** A file changed between planning and applying; nothing was written (exit 1). Plan again and apply the new plan. */
public class StalePlanException extends KdeployException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public StalePlanException(String path) {
        super(path + " changed after the plan was made (someone else wrote it meanwhile); kdeploy wrote nothing."
                + " Run again to plan from the file as it is now.");
        this.path = path;
    }

    /** The node path of the file that changed. */
    public String path() {
        return path;
    }
}
