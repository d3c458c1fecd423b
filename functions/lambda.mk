# Shared by every function's Makefile: the target `sam build` calls (BuildMethod: makefile, run in
# the source tree: build_in_source in samconfig.toml). It builds this module with Maven and unpacks
# its function.zip into the directory SAM packages.
#   sam build                       native executable `bootstrap` for provided.al2023 (default)
#   PACKAGING=jvm sam build         JVM build for java21 (deploy with Packaging=jvm)
# A native build uses `native-image` (Mandrel/GraalVM for JDK 25) when it is on the PATH, otherwise
# a container engine (Quarkus container build).
MODULE := $(notdir $(patsubst %/,%,$(CURDIR)))
ROOT := $(abspath $(CURDIR)/../..)
PACKAGING ?= native
CONTAINER_BUILD ?= $(if $(shell command -v native-image 2>/dev/null),false,true)
NATIVE_FLAGS := -Pnative -Dquarkus.native.container-build=$(CONTAINER_BUILD)

build-%:
	cd "$(ROOT)" && mvn -B -q -ntp -DskipTests -pl functions/$(MODULE) -am package \
		$(if $(filter native,$(PACKAGING)),$(NATIVE_FLAGS),)
	unzip -o -q "$(CURDIR)/target/function.zip" -d "$(ARTIFACTS_DIR)"
