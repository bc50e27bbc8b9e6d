// Validation switches the host sets through configure(). One global instance: the core validates
// one document at a time.
export class ValidationOptions {
  /**
   * Enforce the draft sensor rules (gs1/EPCIS TCR53 step 29: an attribute stated in both
   * sensorMetadata and a sensorReport; draft M122: sensorMetadata.time after eventTime). Off by
   * default because GS1's own published "all possible fields" examples break both rules, and a
   * capture service that refuses the standard's examples would refuse real partners' data too.
   */
  strictSensorRules: bool = false;
}

export const validationOptions = new ValidationOptions();
