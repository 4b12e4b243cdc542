/** Tests of the conformance kit: the contract passes a sound configurer and fails broken ones. */
@NullMarked
package io.kdeploy.testkit;

import org.jspecify.annotations.NullMarked;
