package dev.trainstream.ops.lifecycle;

/** A hosted service's {@link Service#run()} threw: names the service and carries the cause. */
public final class ServiceFailedException extends RuntimeException {
    private final String service;

    public ServiceFailedException(String service, Throwable cause) {
        super(service + " failed: " + describe(cause), cause);
        this.service = service;
    }

    /** The failed service's name. */
    public String service() {
        return service;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
