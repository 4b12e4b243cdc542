/** A conformance kit any CriConfigurator can run: contracts, AssertJ assertions and node fixtures. */
@NullMarked
package io.kdeploy.testkit;

import org.jspecify.annotations.NullMarked;
