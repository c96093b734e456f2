package crew.model.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** Typed access to one JSON object of a {@link LocatedJson} document, with located errors and unknown-field checks. */
final class JsonFields {
    final LocatedJson doc;
    final String path;
    final JsonObject object;

    JsonFields(LocatedJson doc, String path, JsonElement element) {
        this.doc = doc;
        this.path = path;
        if (element == null || !element.isJsonObject()) {
            throw doc.error(path, "expected a JSON object");
        }
        this.object = element.getAsJsonObject();
    }

    /** Fails on a field that is not in {@code known}: CREW never drops what it does not understand. */
    JsonFields allow(Set<String> known) {
        for (String name : object.keySet()) {
            if (!known.contains(name)) {
                throw doc.error(path + "." + name, "unknown field '" + name + "' (known here: " + new java.util.TreeSet<>(known) + ")");
            }
        }
        return this;
    }

    private JsonElement get(String name) {
        JsonElement e = object.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    String string(String name) {
        JsonElement e = get(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw doc.error(path + "." + name, "expected a string");
        }
        return e.getAsString();
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null) {
            throw doc.error(path, "missing field '" + name + "'");
        }
        return s;
    }

    boolean bool(String name, boolean dflt) {
        JsonElement e = get(name);
        if (e == null) {
            return dflt;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw doc.error(path + "." + name, "expected true or false");
        }
        return e.getAsBoolean();
    }

    int integer(String name, int dflt) {
        JsonElement e = get(name);
        if (e == null) {
            return dflt;
        }
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw doc.error(path + "." + name, "expected a whole number");
    }

    /** A CIDR exactly as written: white space around it is an error too (what CREW reads is what AWS would be sent). */
    Cidr cidr(String name, boolean required) {
        String s = required ? requiredString(name) : string(name);
        if (s == null) {
            return null;
        }
        try {
            return Cidr.parse(s);
        } catch (AddressFormatException e) {
            throw doc.error(path + "." + name, e.getMessage());
        }
    }

    IpAddress address(String itemPath, String text) {
        try {
            return IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw doc.error(itemPath, e.getMessage());
        }
    }

    JsonFields object(String name) {
        JsonElement e = get(name);
        return e == null ? null : new JsonFields(doc, path + "." + name, e);
    }

    /** The "Status": {"Code": ...} convention of the EC2 API, or a plain string. */
    String statusCode(String name) {
        JsonElement e = get(name);
        if (e == null) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            return e.getAsString();
        }
        JsonFields s = new JsonFields(doc, path + "." + name, e).allow(Set.of("Code", "Message"));
        return s.string("Code");
    }

    <T> List<T> list(String name, BiFunction<String, JsonElement, T> item) {
        JsonElement e = get(name);
        if (e == null) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw doc.error(path + "." + name, "expected a JSON array");
        }
        JsonArray a = e.getAsJsonArray();
        List<T> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(item.apply(path + "." + name + "[" + i + "]", a.get(i)));
        }
        return out;
    }

    List<String> strings(String name) {
        return list(name, (p, e) -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw doc.error(p, "expected a string");
            }
            return e.getAsString();
        });
    }
}
