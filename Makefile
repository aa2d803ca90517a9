# sam build calls this for SweeperFunction (Metadata BuildMethod: makefile in template.yaml), with
# ARTIFACTS_DIR set to the function's folder in the build directory.
#
# The project's wrapper, not a system mvn: it fetches the Maven version the project pins. The tests are skipped
# because this is the edit-build-invoke loop (./mvnw verify and .ci/run run them). With build_in_source
# (samconfig.toml) this runs in the working tree, so Maven's target/ is reused and only changed sources compile.
# The Java runtime puts every lib/*.jar on the class path, so the shaded jar goes there as it is.

.PHONY: build-SweeperFunction
build-SweeperFunction:
	./mvnw -q -B -DskipTests -DskipITs package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp target/s3-sweeper.jar "$(ARTIFACTS_DIR)/lib/"

# The Distributed Map mode (template-distributed.yaml): the batch and report functions are two handlers of the same
# jar. sam build runs each target in turn; the second finds target/ up to date and only copies.
.PHONY: build-BatchFunction build-ReportFunction
build-BatchFunction build-ReportFunction:
	./mvnw -q -B -DskipTests -DskipITs package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp target/s3-sweeper.jar "$(ARTIFACTS_DIR)/lib/"
