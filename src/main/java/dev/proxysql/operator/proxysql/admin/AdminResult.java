package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of one admin check: a value, or a classified {@link AdminFailure}. Checks report failures
 * this way rather than by throwing because a failed check is an expected outcome that callers turn into
 * status, not an exceptional one.
 */
public sealed interface AdminResult<T> permits AdminResult.Success, AdminResult.Failure {

    /** The check succeeded with {@code value}. */
    record Success<T>(T value) implements AdminResult<T> {
        public Success {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The check failed; {@code failure} says why. */
    record Failure<T>(AdminFailure failure) implements AdminResult<T> {
        public Failure {
            Objects.requireNonNull(failure, "failure");
        }
    }

    static <T> AdminResult<T> success(T value) {
        return new Success<>(value);
    }

    static <T> AdminResult<T> failure(AdminFailureKind kind, String message) {
        return new Failure<>(new AdminFailure(kind, message));
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** The value of a success. @throws IllegalStateException for a failure, quoting it */
    default T value() {
        if (this instanceof Success<T> success) {
            return success.value();
        }
        throw new IllegalStateException("admin check failed: " + ((Failure<T>) this).failure());
    }

    /** The failure. @throws IllegalStateException for a success */
    default AdminFailure failure() {
        if (this instanceof Failure<T> failed) {
            return failed.failure();
        }
        throw new IllegalStateException("admin check succeeded; there is no failure");
    }

    /** Applies {@code mapper} to a success's value; passes a failure on unchanged. */
    default <R> AdminResult<R> map(Function<? super T, ? extends R> mapper) {
        if (this instanceof Success<T> success) {
            return new Success<>(mapper.apply(success.value()));
        }
        return new Failure<>(((Failure<T>) this).failure());
    }
}
