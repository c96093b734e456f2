package crew.ui.endpoint.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The editor's command stack over immutable values: each edit records the value before and after, so undo and redo
 * are exact. Consecutive edits of the same field (typing) merge into one step.
 */
final class EditHistory<T> {
    private record Step<T>(String field, T before, T after) {
    }

    private final Deque<Step<T>> undo = new ArrayDeque<>();
    private final Deque<Step<T>> redo = new ArrayDeque<>();
    private T current;
    private T saved;

    EditHistory(T initial) {
        current = initial;
        saved = initial;
    }

    T current() {
        return current;
    }

    void edit(String field, T after) {
        if (Objects.equals(after, current)) {
            return;
        }
        Step<T> top = undo.peek();
        if (top != null && top.field().equals(field) && redo.isEmpty()) {
            undo.pop();
            undo.push(new Step<>(field, top.before(), after));
        } else {
            undo.push(new Step<>(field, current, after));
        }
        redo.clear();
        current = after;
    }

    boolean canUndo() {
        return !undo.isEmpty();
    }

    boolean canRedo() {
        return !redo.isEmpty();
    }

    /** Undoes one step; returns the field it concerned, or null when there was nothing to undo. */
    String undo() {
        Step<T> step = undo.poll();
        if (step == null) {
            return null;
        }
        redo.push(step);
        current = step.before();
        return step.field();
    }

    String redo() {
        Step<T> step = redo.poll();
        if (step == null) {
            return null;
        }
        undo.push(step);
        current = step.after();
        return step.field();
    }

    /** The current value is what the file holds now. */
    void markSaved() {
        saved = current;
    }

    boolean dirty() {
        return !Objects.equals(saved, current);
    }
}
