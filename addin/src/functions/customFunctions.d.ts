// The subset of Excel's custom functions runtime (the CustomFunctions global of Office.js) that the LEDGERDESK
// functions use, as Microsoft's custom-functions-runtime typings declare it (that package is not installed here).
// A module, so that importing CustomFunctionsRuntime brings the global into every program that compiles the functions.
export type CustomFunctionsRuntime = typeof CustomFunctions;

declare global {
  namespace CustomFunctions {
    /** Excel's error values a function may return. */
    enum ErrorCode {
      invalidValue = '#VALUE!',
      notAvailable = '#N/A',
    }
    /** An error value with the message Excel shows beside it. */
    class Error {
      constructor(errorCode: ErrorCode, errorMessage?: string);
      code: ErrorCode;
      message?: string;
    }
    /** What a streaming function is given to set its result, as often as it changes. */
    interface StreamingInvocation<ResultType> {
      setResult(value: ResultType | Error): void;
      /** Called by Excel when the formula is deleted or changed. */
      onCanceled: () => void;
      address?: string;
    }
    /** Maps a function id of functions.json to its JavaScript function. */
    function associate(id: string, functionObject: (...args: never[]) => unknown): void;
  }
}
