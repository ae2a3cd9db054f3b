# Sourced by bin/takhin and bench/*.sh: sets $java_bin to the newest JDK >= $required_java found in
# JAVA_HOME, PATH or the usual install directories, or exits with one line saying none was found.
required_java=25

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

find_java() {
  local candidate major best="" best_major=0
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java \
      /usr/local/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*jdk*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major >= required_java && major > best_major )); then best="$candidate"; best_major=$major; fi
  done
  [ -n "$best" ] && echo "$best"
}

java_bin="$(find_java || true)"
if [ -z "$java_bin" ]; then
  echo "takhin: no JDK >= $required_java found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. Temurin $required_java." >&2
  exit 1
fi
